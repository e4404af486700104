"""Legacy ``"\\n\\nHuman: … \\n\\nAssistant:"`` prompts: the grammar, parsing into Messages input,
rendering back, and the ``P`` codes."""
