"""Pipelines: plain data in, pydantic out, engines behind protocols; never imports `app`.

Today: documents to chunks (`sniff`, `ingest`, `chunking`, `headings`), retrieval for an asker
(`retrieval`, over `vectorstore`), answering with citations (`qa`, `answer_select`, `llm`,
`llm_local`, `chat`, prompts from `prompts`), and the evaluations (`eval_retrieval`,
`eval_qa`). Their settings are `pipelines.config`, embedded in the app's `Settings`.
"""
