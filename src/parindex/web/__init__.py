"""The parindex Django project: settings, URLs and web applications.

``parindex.core`` never imports from here; this package imports the engine.
"""
