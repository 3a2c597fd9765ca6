"""The K-factor requirements, MIFIDPRU 4.6 to 4.15 and MIFIDPRU 5."""
