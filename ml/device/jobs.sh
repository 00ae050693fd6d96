#!/bin/bash
# Runs training jobs in parallel on a lent CPU-rich machine without node/npm, from feature
# packs (scripts/pack-features.ts) instead of videos. Carried: data/device/{node.xz,bundle},
# data/device-shapes/{train,val,test}/{annotations.json,lowlevel-*.pack.br}, and any
# models/ folder the jobs read. Usage:
#   bash ml/device/jobs.sh JOBFILE SECONDS
# JOBFILE: one job per line, "<name> <train.mjs arguments…>"; jobs write under .tmp/dev/<name>.
# $OUT receives all-logs.txt and results.tgz (the whole .tmp/dev).
set -u
JOBS=$1
SECS=$2
DV=/tmp/dv
mkdir -p $DV
[ -x $DV/node ] || xz -T0 -dc data/device/node.xz > $DV/node
chmod +x $DV/node
export ML_QUIET=1
OUT=${OUT:-/tmp/out}
mkdir -p $OUT .tmp/dev
nproc
while read -r name args; do
  [ -z "$name" ] && continue
  ( eval "timeout $SECS $DV/node data/device/bundle/train.mjs --quiet $args" > $OUT/$name.log 2>&1; echo "exit $?" >> $OUT/$name.log ) &
done < "$JOBS"
wait
# what comes back is at most 8 files, 2 folders down: one archive + one combined log
for f in $OUT/*.log; do echo "== $f"; cat $f; done > $OUT/all-logs.txt
rm -f $OUT/*.log
tar czf $OUT/results.tgz -C .tmp dev
grep -E "^==|done|Error|exit|total" $OUT/all-logs.txt | cut -c1-300
