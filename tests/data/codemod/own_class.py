class Anthropic:
    def __init__(self):
        self.completions = self

    def create(self, **kw):
        return kw

client = Anthropic()
client.completions.create(prompt="x")
