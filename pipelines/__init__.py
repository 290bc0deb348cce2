"""Pipelines: plain data in, pydantic out, engines behind protocols; never imports `app`.

Today: documents to chunks (`sniff`, `ingest`, `chunking`, `headings`), retrieval for an asker
(`retrieval`, over `vectorstore`), answering with citations (`qa`, `answer_select`, `llm`,
`llm_local`, `chat`, prompts from `prompts`), the evaluations (`eval_retrieval`,
`eval_qa`), and meeting minutes (`minutes`: the offline drafter, LLM mode, consistency check,
DOCX). Their settings are `pipelines.config`, embedded in the app's `Settings`.
"""
