"""The Språk page's pieces: the matrix and scores shaped for people (``matrix``), the form
that records a test result (``results_form``), and the kit's evidence beside the LANG
requirements in scoring and the consensus meeting (``evidence``)."""
