"""The sections of the Eksport page: the award decision, and each bidder's score sheet and
award letter. Each section is a function, so that others can be added to the page."""
