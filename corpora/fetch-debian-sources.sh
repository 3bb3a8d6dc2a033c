#!/usr/bin/env bash
# Unpacks the offline corpora the recipes in this folder read (corpora/csharp-default.json, corpora/linux-6m.json)
# from Debian's package archive into corpora-src/NAME, each as a one-commit git repository the harvester can open.
# Needs apt (Debian or Ubuntu) and network access to its archive; nothing is installed system-wide. It does not
# harvest: run `charrnn harvest --manifest corpora/NAME.json` afterwards.
# Usage: corpora/fetch-debian-sources.sh [csharp] [linux]   (default: both)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/corpora-src"
want=("$@"); [ ${#want[@]} -eq 0 ] && want=(csharp linux)
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# A fixed author and date: the same archive files give the same commit on every machine.
commit_tree() {
  (cd "$1" && git init -q && git add -A -f && GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z \
    git -c user.name=corpora -c user.email=corpora@localhost commit -qm "import $(basename "$1")")
}

unpack_to() { # NAME FOLDER-UNPACKED
  rm -rf "$out/$1.tmp"; mv "$2" "$out/$1.tmp"; commit_tree "$out/$1.tmp"
  rm -rf "$out/$1"; mv "$out/$1.tmp" "$out/$1"; echo "corpora-src/$1 ready"
}

for what in "${want[@]}"; do
  case "$what" in
    csharp)
      # Source packages: a private apt state with deb-src entries, so the system's lists stay as they are.
      mkdir -p "$work/apt/lists/partial"
      eval "$(apt-config shell PARTS Dir::Etc::sourceparts/d)"
      sed 's/^Types: deb$/Types: deb-src/' "$PARTS"/debian.sources > "$work/apt/src.sources"
      o=(-o "Dir::Etc::SourceParts=$work/apt" -o Dir::Etc::SourceList=/dev/null -o "Dir::State::Lists=$work/apt/lists")
      apt-get "${o[@]}" -qq update
      for pkg in newtonsoft-json nunit; do
        # Only the upstream tarball is needed (the archive mirror may not carry the Debian patch tarball),
        # checked against the SHA-256 the signed source index gives.
        read -r url file _ sum < <(apt-get "${o[@]}" -qq --print-uris source "$pkg" | grep "\.orig\.tar\.")
        mkdir -p "$work/$pkg" && curl -fsSL "${url//\'/}" -o "$work/$pkg/$file"
        echo "${sum#SHA256:}  $work/$pkg/$file" | sha256sum -c --quiet -
        mkdir -p "$work/$pkg/tree" && tar -xf "$work/$pkg"/*.orig.tar.* -C "$work/$pkg/tree" --strip-components=1
        unpack_to "$pkg" "$work/$pkg/tree"
      done ;;
    linux)
      (cd "$work" && apt-get -qq download linux-source-6.1)
      dpkg -x "$work"/linux-source-6.1_*.deb "$work/deb"
      mkdir -p "$work/linux" && tar -xf "$work"/deb/usr/src/linux-source-6.1.tar.xz -C "$work/linux"
      unpack_to linux-source-6.1 "$work/linux/linux-source-6.1" ;;
    *) echo "error: unknown corpus '$what': use csharp or linux" >&2; exit 2 ;;
  esac
done
