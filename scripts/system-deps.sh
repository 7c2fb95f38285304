#!/usr/bin/env bash
# Installs the Debian packages the portal needs when they are missing. Usage:
#   scripts/system-deps.sh run    # what `make run` needs (gettext for translations, poppler for letter previews)
#   scripts/system-deps.sh test   # plus PostgreSQL, Chromium, Redis, poppler-utils, fonts
set -euo pipefail
want=(gettext:msgfmt poppler-utils:pdftoppm)  # pdftoppm: the request letter shown as an image
if [[ "${1:-run}" == "test" ]]; then
  # postgresql-contrib: the unaccent and pg_trgm extensions of accent-insensitive search (kernel/search.py)
  want+=(postgresql:/usr/lib/postgresql "postgresql-contrib:/usr/share/postgresql/*/extension/unaccent.control"
         chromium:chromium redis-server:redis-server
         poppler-utils:pdftotext fonts-dejavu-core:/usr/share/fonts/truetype/dejavu)
fi
missing=()
for item in "${want[@]}"; do
  pkg=${item%%:*} probe=${item#*:}
  if [[ "$probe" == /* ]]; then compgen -G "$probe" >/dev/null || missing+=("$pkg")
  else command -v "$probe" >/dev/null 2>&1 || missing+=("$pkg"); fi
done
((${#missing[@]})) || exit 0
echo "Installing system packages: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "Run as root or install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
${SUDO:-} apt-get update -qq
${SUDO:-} apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
