import json, os
os.makedirs("model", exist_ok=True)
losses = [0.91, 0.55, 0.31, 0.18, 0.127]
json.dump({"epochs": [{"epoch": i + 1, "loss": l} for i, l in enumerate(losses)]}, open("model/metrics.json", "w"), indent=2)
