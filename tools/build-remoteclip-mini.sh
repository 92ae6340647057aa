#!/usr/bin/env bash
# Rebuilds the built-in model models/remoteclip-mini from the real data in ../shared with the project's
# own tools: captions from detection/segmentation annotations (B2C/M2B) + UCM-captions (train split),
# its own BPE vocabulary, a small CLIP trained from scratch, exported as fp16 safetensors.
# Usage: tools/build-remoteclip-mini.sh [WORK_DIR]   (SHARED=/path/to/shared to point elsewhere)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-$(cd ../shared && pwd)}
WORK=${1:-/tmp/remoteclip-mini-build}
OUT=models/remoteclip-mini
RC=bin/remoteclip
mkdir -p "$WORK"

# 1. Captions from annotations (NWPU VHR-10 boxes, DOTA and iSAID scenes tiled, ISPRS/LoveDA masks),
#    deduplicated against the UCM images that the zero-shot test uses.
cat > "$WORK/sources.yaml" <<YAML
seed: 0
dedup_threshold: 4
exclude: [$SHARED/data/ucm-captions/images]
sources:
  - {name: nwpu, format: coco, annotations: $SHARED/data/nwpu-vhr10/annotations.json, images: $SHARED/data/nwpu-vhr10/images}
  - {name: dota, format: dota, annotations: $SHARED/data/samples/dota-devkit/labelTxt, images: $SHARED/data/samples/dota-devkit/images, tile: 512, overlap: 128}
  - {name: isaid, format: mask, classes: isaid, min_area: 40px, annotations: $SHARED/data/samples/isaid/P0003_instance_color_RGB.png, images: $SHARED/data/samples/isaid, tile: 512, overlap: 100}
  - {name: potsdam, format: mask, classes: isprs, annotations: $SHARED/data/samples/mmseg/pseudo_potsdam_dataset/ann_dir, images: $SHARED/data/samples/mmseg/pseudo_potsdam_dataset/img_dir}
  - {name: loveda, format: mask, classes: loveda, annotations: $SHARED/data/samples/mmseg/pseudo_loveda_dataset/ann_dir, images: $SHARED/data/samples/mmseg/pseudo_loveda_dataset/img_dir}
YAML
rm -rf "$WORK/captions"
$RC captions --manifest "$WORK/sources.yaml" --out "$WORK/captions"

# 2. A BPE vocabulary of our own, learned from the training captions only.
$RC train-vocab --texts "$SHARED/data/ucm-captions/dataset_ucm.json" --texts "$WORK/captions/captions.csv" \
    --split train --merges 1500 --out "$WORK/vocab.txt.gz"

# 3. A small CLIP from scratch: ViT 192 wide, 4 layers, patch 32 at 160 px (25 patches); text 192 wide, 3 layers,
#    32 tokens of context (captions are short). About 1.5 s per step of 64 on 2 cores.
rm -rf "$WORK/run"
$RC train --arch "vit:width=192,layers=4,patch=32,image=160,text-width=192,text-layers=3,embed=192,context=32" \
    --vocab "$WORK/vocab.txt.gz" \
    --train "$WORK/captions/captions.csv" --train "$SHARED/data/ucm-captions/dataset_ucm.json" \
    --val "$SHARED/data/ucm-captions/dataset_ucm.json" --val-split val \
    --epochs ${EPOCHS:-12} --batch-size 64 --lr 1e-3 --wd 0.1 --warmup 50 --augment rs --seed 0 --out "$WORK/run"

# 4. Export: fp16 safetensors + vocabulary + open_clip config.
mkdir -p "$OUT"
$RC convert --model "$WORK/run/checkpoints/best.pt" --dtype fp16 --out "$OUT/model.safetensors"
cp "$WORK/vocab.txt.gz" "$OUT/vocab.txt.gz"
cp "$WORK/run/open_clip_config.json" "$OUT/config.json"
ls -l "$OUT"
