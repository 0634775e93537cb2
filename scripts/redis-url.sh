# What run.sh does with a Redis URL (redis://[user:password@]host[:port][/db], rediss:// with TLS), in bash alone:
# show it without its password, and check that the server answers. Sourced by run.sh; functions only.
#
#   redis_url_masked URL    prints URL with the password replaced by ***
#   redis_url_ping URL      0 when the server answers PONG, after AUTH with the URL's credentials if it has any; for
#                           rediss:// (bash speaks no TLS) when the port accepts connections

# The parts of URL in REDIS_URL_SCHEME, _USER, _PASSWORD (percent-decoded), _HOST and _PORT (6379 if none).
redis_url_parse() {
  local rest=${1#*://} userinfo=
  REDIS_URL_SCHEME=${1%%://*}
  [[ $rest == *@* ]] && userinfo=${rest%@*} && rest=${rest##*@}
  rest=${rest%%/*}; rest=${rest%%\?*}
  REDIS_URL_HOST=${rest%:*}; REDIS_URL_PORT=6379
  [[ $rest == *:* ]] && REDIS_URL_PORT=${rest##*:}
  REDIS_URL_USER=; REDIS_URL_PASSWORD=
  if [[ $userinfo == *:* ]]; then
    REDIS_URL_USER=${userinfo%%:*}; REDIS_URL_PASSWORD=${userinfo#*:}
  else
    REDIS_URL_PASSWORD=$userinfo
  fi
  REDIS_URL_PASSWORD=$(printf '%b' "${REDIS_URL_PASSWORD//%/\\x}")
}

redis_url_masked() {
  local url=$1 scheme rest userinfo
  [[ $url == *://*@* ]] || { printf '%s' "$url"; return; }
  scheme=${url%%://*}; rest=${url#*://}
  userinfo=${rest%@*}
  if [[ $userinfo == *:* ]]; then userinfo="${userinfo%%:*}:***"; else userinfo='***'; fi
  printf '%s://%s@%s' "$scheme" "$userinfo" "${rest##*@}"
}

redis_url_ping() {
  local reply=
  redis_url_parse "$1"
  { exec 3<>"/dev/tcp/$REDIS_URL_HOST/$REDIS_URL_PORT"; } 2>/dev/null || return 1
  if [ "$REDIS_URL_SCHEME" = rediss ]; then
    exec 3<&- 3>&-
    return 0
  fi
  if [ -n "$REDIS_URL_PASSWORD" ]; then
    printf 'AUTH %s %s\r\n' "${REDIS_URL_USER:-default}" "$REDIS_URL_PASSWORD" >&3
    IFS= read -r -t 2 reply <&3 || true
  fi
  printf 'PING\r\n' >&3
  IFS= read -r -t 2 reply <&3 || true
  exec 3<&- 3>&-
  [[ $reply == "+PONG"* ]]
}
