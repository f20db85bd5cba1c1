"""Dûment's legal engine: claims, money, interest, prescription, checks and routes.

Pure Python: no web framework, no template engine, no clock. Every date that matters
is a parameter, every legal number comes from the dated data in ``procedures/``.
"""
