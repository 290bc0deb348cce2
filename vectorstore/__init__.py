"""The vector store: embeddings (`embeddings`, `e5_fast`), chromadb (`store`), BM25
(`lexical`) and their fusion (`hybrid`); imports neither `app` nor `pipelines`.

Its settings are `vectorstore.config`; the app reaches it only through `pipelines`.
"""
