"""The working group's own files about its tender (not what vendors send and receive):
the catalogue workbook (``catalogue_workbook``)."""
