#!/usr/bin/env bash
# The Chromium kernel benchmark on a real GPU: ours gpu:webgl2 (GPU.js) against TF.js webgl, the
# LSTM forward + BPTT job of bench/jobs.ts at S, M and L, in headless Chromium rendering through
# the machine's GPU instead of SwiftShader (no --enable-unsafe-swiftshader).
#
#   bench/device.sh                 ANGLE on EGL (--use-gl=angle --use-angle=gl-egl)
#   bench/device.sh vulkan          ANGLE on Vulkan
#   bench/device.sh egl M,L         only some sizes
#
# It prints the renderer string (WEBGL_debug_renderer_info) first and stops with an error when
# that is still SwiftShader or llvmpipe: timings from a CPU rasteriser say nothing about a GPU.
# Results go to out/bench/results.json; the table ends the output. Needs Chromium
# (CHROMIUM_PATH, default /usr/bin/chromium), the repository's node_modules and a GPU driver
# with EGL (or Vulkan). Set RNN_LENS_BENCH_GL to pass other GL flags.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-egl}"
sizes="${2:-S,M,L}"
case "$backend" in
  egl) gl='--use-gl=angle --use-angle=gl-egl' ;;
  vulkan) gl='--use-gl=angle --use-angle=vulkan --enable-features=Vulkan' ;;
  *) echo "usage: bench/device.sh [egl|vulkan] [sizes, e.g. S,M,L]" >&2; exit 2 ;;
esac
export RNN_LENS_BENCH_GL="${RNN_LENS_BENCH_GL:-$gl}"
exec node bench/run.mjs --browser --real-gpu --webgl-only --no-sweep --sizes="$sizes"
