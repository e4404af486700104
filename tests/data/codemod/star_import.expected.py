# star imports and the 0.2 module-level count_tokens
from anthropic import *
import anthropic

print(anthropic.count_tokens("hello"))
print("\n\nHuman: hi\n\nAssistant:")
