"""Audio engines: speech-to-text (`audio.stt`); imports neither `app` nor `pipelines`.

Its settings are `audio.stt.SttConfig`, embedded in the app's `Settings` as `stt`.
"""
