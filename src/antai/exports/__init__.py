"""Machine-readable exports of the catalog, a tailored plan and an assessment, in other tools' formats (OSCAL).

Pure renderings over the core's data, like :mod:`antai.reports`: the adapters read the files and the clock and
pass in what they found.
"""
