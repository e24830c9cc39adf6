# shellcheck shell=bash
# Shared settings for the VM scripts.
MXCHAN_CACHE=${MXCHAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mxchan}
export MXCHAN_CACHE
