# The printed directory (PDF and HTML).
