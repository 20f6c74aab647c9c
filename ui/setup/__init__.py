"""The sections of the Oppsett (setup) page: the tender, the libraries, the evaluators and
the vendors with their offers. Each section draws a form and calls the store's functions,
which check everything and log every change."""
