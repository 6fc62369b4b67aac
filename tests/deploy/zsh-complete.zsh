#!/usr/bin/env zsh
# Used by scripts/package-test.sh: zsh-complete.zsh FPATH_DIR TYPED EXPECTED.
# Types "mgadvisor admin re<Tab>" into an interactive zsh (a pseudo-terminal, zsh/zpty) whose
# fpath holds the completion, and checks the line became "mgadvisor admin reset-password".
zmodload zsh/zpty
zpty comp zsh -f -i
zpty -w comp "PS1='>'; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D; mgadvisor() { :; }"
zpty -w -n comp "mgadvisor $2"$'\t'
raw="" text=""
for i in {1..100}; do
  zpty -r -t comp chunk && raw+=$chunk
  text=${(S)raw//$'\e'\[*[a-zA-Z]/}   # Without the terminal's escape sequences,
  text=${text//[[:cntrl:]]/}                   # nor carriage returns and backspaces.
  [[ $text == *"mgadvisor $3"* ]] && break
  sleep 0.05
done
zpty -d comp
[[ $text == *"mgadvisor $3"* ]] || { print -r -- "zsh completed to: ${text[-200,-1]}"; exit 1; }
