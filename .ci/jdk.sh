# Sourced by .ci/run and bench/*.sh: exports JAVA_HOME pointing at a JDK >= 21.
# JAVA_HOME wins when it is new enough; otherwise the newest JDK in /usr/lib/jvm.
java_major() { "$1/bin/java" -version 2>&1 | sed -nE '1s/.*version "([0-9]+).*/\1/p'; }
pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    echo "$JAVA_HOME"; return 0
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(java_major "$d"); [ -n "$v" ] || continue
    if [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  if [ "$best_v" -ge 21 ]; then echo "$best"; return 0; fi
  echo "no JDK >= 21 found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm)" >&2; return 1
}
JAVA_HOME=$(pick_jdk) || exit 1
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
