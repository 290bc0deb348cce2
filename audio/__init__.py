"""Audio engines: speech-to-text (`audio.stt`) and text-to-speech (`audio.tts`); imports neither
`app` nor `pipelines`.

Their settings are `audio.stt.SttConfig` and `audio.tts.TtsConfig`, embedded in the app's
`Settings` as `stt` and `tts`.
"""
