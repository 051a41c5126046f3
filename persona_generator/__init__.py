"""A census-grounded generator of synthetic Nemotron-Personas files, laid out like the Hub."""
