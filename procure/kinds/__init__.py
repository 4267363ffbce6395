"""Product kinds (jenis barang): the second level of the catalog tree, under a category.

``rules`` holds the default tree and the rules that place a product (or a request) in a kind
by its name; it is pure. The model is ``procure.catalog.models.ProductKind``.
"""
