#!/usr/bin/env bash
# Patches an unpacked copy of github.com/dagger/dagger v0.21.8 ($1) so it
# builds with only the modules our Go proxy serves:
#  - Dang v2 SDK (github.com/vito/dang/v2) is replaced by a stub that errors;
#  - github.com/vito/midterm is pinned to v0.2.4, which lacks the log-search
#    API used by the interactive TUI, so that search becomes a no-op.
set -euo pipefail
src=$1
here="$(cd "$(dirname "$0")" && pwd)"
cp "$here/overlay/dangv2_sdk.go" "$src/core/sdk/dang/v2/sdk.go"
cp "$here/overlay/empty_dangv2.go" "$src/core/sdk/dang/v2/helpers.go"
cd "$src/dagql/idtui"
sed -i \
  -e 's/^\(\s*\)term\.vt\.SearchClear()$/\1_ = 0/' \
  -e 's/^\(\s*\)term\.vt\.Search(query)$/\1_ = query/' \
  -e 's/term\.vt\.Search(query)/0/' \
  -e 's/term\.vt\.SearchSetCurrent(/midtermSearchSetCurrent(/' \
  -e 's/range term\.vt\.SearchMatches/range []struct{ Row int }{}/' \
  vterm.go
sed -i 's/logs\.Term()\.SearchMatchRows()/midtermSearchMatchRows(logs.Term())/' search.go
cat > midterm_compat.go <<'GO'
package idtui

import "github.com/vito/midterm"

func midtermSearchSetCurrent(int) (int, bool)            { return -1, false }
func midtermSearchMatchRows(*midterm.Terminal) []int { return nil }
GO
