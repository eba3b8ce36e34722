# SPDX-License-Identifier: GPL-2.0-only
# bash completion for cvmm: commands, options and their values, files.
# The options come from the binary itself (`cvmm help --list COMMAND`,
# generated from its option tables), so they never fall behind.
# Use: source scripts/cvmm-completion.bash (meson install puts it in
# share/bash-completion/completions/cvmm).

_cvmm_words() {
	# the alternatives of an option's value syntax: "stdio|file,path=PATH|none"
	# gives stdio file none (placeholders in capitals are left out)
	local w
	for w in $(printf '%s\n' "$1" | tr '[]|,' '    '); do
		case $w in
		*[A-Z]* | *...* | *=*) ;;
		*) printf '%s\n' "$w" ;;
		esac
	done
}

_cvmm() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cvmm=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]} list line kind value
	COMPREPLY=()
	if [[ $COMP_CWORD -eq 1 ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$("$cvmm" help --commands 2>/dev/null) --help --version" -- "$cur")
		return
	fi
	if [[ $cmd == help && $cur != -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$("$cvmm" help --commands 2>/dev/null)" -- "$cur")
		return
	fi
	if [[ $cmd == verify && $COMP_CWORD -eq 2 ]]; then
		mapfile -t COMPREPLY < <(compgen -W "snp tdx tdx-eventlog" -- "$cur")
		return
	fi
	list=$("$cvmm" help --list "$cmd" 2>/dev/null) || return
	line=$(printf '%s\n' "$list" | awk -F '\t' -v o="$prev" '$1 == o || $4 == o { print; exit }')
	if [[ -n $line ]]; then
		kind=$(printf '%s\n' "$line" | cut -f2)
		value=$(printf '%s\n' "$line" | cut -f3)
		if [[ $kind == required ]]; then
			case $value in
			PATH | FILE | PEM) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
			DIR) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
			*) mapfile -t COMPREPLY < <(compgen -W "$(_cvmm_words "$value")" -- "$cur") ;;
			esac
			return
		fi
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(printf '%s\n' "$list" | cut -f1)" -- "$cur")
		return
	fi
	if [[ $cmd == ctl && $prev != create ]]; then
		mapfile -t COMPREPLY < <(compgen -W "info coco ping create boot pause resume reboot shutdown delete shutdown-vmm" -- "$cur")
		return
	fi
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

complete -F _cvmm cvmm
