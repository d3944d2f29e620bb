from django.apps import AppConfig


class OpendataConfig(AppConfig):
    """The data for researchers, on top of ``directory`` and ``publications``: the data
    page (codebook, vocabularies, licence, citation), the vocabularies as CSV, the
    Frictionless data package and the dated snapshot (``build_snapshot``). No models;
    every file is made by the lists' own exports (``listing.exports``)."""

    name = "opendata"
