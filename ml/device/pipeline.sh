#!/bin/bash
# Runs the training pipeline on a lent CPU-rich machine without node/npm: node, ffmpeg and
# the esbuild bundles are carried in data/device (see docs/models.md). Usage:
#   bash ml/device/pipeline.sh A <videos> <locvtp-steps>      generate + features + LocVTP
#   bash ml/device/pipeline.sh B <cpl-steps> <seconds>         CPL + baselines in parallel
set -u
MODE=$1
REPO=$PWD
DV=/tmp/dv
mkdir -p $DV
[ -x $DV/node ] || xz -dc data/device/node.xz > $DV/node
[ -x $DV/ffmpeg ] || xz -dc data/device/ffmpeg.xz > $DV/ffmpeg
printf '#!/bin/sh\necho "ffprobe stub (durations come from annotations)"\n' > $DV/ffprobe
chmod +x $DV/node $DV/ffmpeg $DV/ffprobe
export PATH=$DV:$PATH FFMPEG_PATH=$DV/ffmpeg FFPROBE_PATH=$DV/ffprobe ML_DECODE_CONCURRENCY=16 ML_QUIET=1
B=data/device/bundle
DATA=data/shapes-dev16
NV=${NV:-1200}
OUT=${OUT:-/tmp/out}
mkdir -p $OUT
gen() {
  if [ ! -f $DATA/.done ]; then
    node $B/gen-corpus.mjs $DATA $NV 515151 16 > $OUT/gen.log 2>&1 && touch $DATA/.done
    tail -2 $OUT/gen.log
  fi
}
if [ "$MODE" = A ]; then
  NV=$2
  t0=$(date +%s); gen; echo "gen $(( $(date +%s) - t0 ))s"
  timeout $(( 540 - ($(date +%s) - t0) )) node $B/train.mjs --data $DATA --stage locvtp --locvtp-steps $3 --quiet --out models 2>&1 | grep -v -E "^$|Hi, looks|====" | tail -5
  echo "A total $(( $(date +%s) - t0 ))s"
  mkdir -p $OUT/models && cp -r models/locvtp $OUT/models/
fi
if [ "$MODE" = B ]; then
  STEPS=$2; SECS=$3
  t0=$(date +%s); gen; echo "gen $(( $(date +%s) - t0 ))s"
  left=$(( SECS - ($(date +%s) - t0) ))
  run() { # name seed variant extra...
    local name=$1 seed=$2 variant=$3; shift 3
    timeout $left node $B/train.mjs --data $DATA --stage cpl --variant $variant --seed $seed --cpl-steps $STEPS --quiet \
      --out models --cpl-out models/runs/$name "$@" > $OUT/$name.log 2>&1
  }
  run cpl-s1 1 cpl & run cpl-s2 2 cpl & run cpl-s3 3 cpl & run cnm-s1 1 cnm & run sup-s1 1 supervised &
  run cpl-k8-s1 1 cpl --K 8 & run cpl-lr1e3-s1 1 cpl --cpl-lr 1e-3 &
  wait
  echo "B total $(( $(date +%s) - t0 ))s"
  mkdir -p $OUT/models && cp -r models/runs $OUT/models/
  for f in $OUT/*.log; do echo "== $f"; grep -E "epoch|done|Error" $f | cut -c1-400 | tail -4; done
fi
