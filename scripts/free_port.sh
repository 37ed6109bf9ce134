#!/usr/bin/env bash
# Print a currently free TCP port on 127.0.0.1.
set -euo pipefail
exec python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
