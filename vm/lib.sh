# shellcheck shell=bash
# Shared settings for the VM scripts and the host checks (checks/).
MXCHAN_CACHE=${MXCHAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mxchan}
export MXCHAN_CACHE
