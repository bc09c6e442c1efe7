# shellcheck shell=bash
# A stand-in for the parts of devstack that devstack/plugin.sh calls, for
# unit tests. The ini functions keep the semantics of devstack's
# inc/ini-config, quirks included, because the plugin must be right under
# them:
#   - a section spans from its header to the next header;
#   - iniset on a missing option inserts "option = value" right after the
#     section header, appending "[section]" to the file (or creating the
#     file) first if needed; on an existing option it replaces the value of
#     every matching line;
#   - iniget joins the matching lines and drops everything up to the first
#     "=", with the shell's word splitting (leading blanks go);
#   - iniget_multiline prints every value, space-separated;
#   - iniset_multiline drops the option's lines and writes one line per
#     value after the header; iniadd is iniset_multiline of the old values
#     followed by the new ones, so values cannot contain blanks.
# Calls that would install or touch the system are recorded in
# $DEVSTACK_CALLS instead.

function _section_lines {
    # Run a sed command on the lines of [section] only.
    local file=$1 section=$2 command=$3
    sed -n -e "/^\[$section\]/,/^\[.*\]/ { $command }" "$file"
}

function ini_has_option {
    local file=$1 section=$2 option=$3
    [[ -n $(_section_lines "$file" "$section" "/^${option}[ \t]*=/p;") ]]
}

function iniget {
    local file=$1 section=$2 option=$3 lines
    lines=$(_section_lines "$file" "$section" "/^${option}[ \t]*=/p;")
    # shellcheck disable=SC2086 # word splitting is devstack's behaviour
    echo ${lines#*=}
}

function iniget_multiline {
    local file=$1 section=$2 option=$3 values
    values=$(_section_lines "$file" "$section" \
        "s/^${option}[ \t]*=[ \t]*//p;")
    # shellcheck disable=SC2086 # word splitting is devstack's behaviour
    echo ${values}
}

function _append_section {
    local file=$1 section=$2
    printf '\n[%s]\n' "$section" >> "$file"
}

function _insert_after_header {
    local file=$1 section=$2 line=$3
    sed -i -e "/^\[$section\]/ a\\
$line
" "$file"
}

function inidelete {
    local file=$1 section=$2 option=$3
    sed -i -e "/^\[$section\]/,/^\[.*\]/ { /^${option}[ \t]*=/ d; }" "$file"
}

function iniset {
    local file=$1 section=$2 option=$3 value=$4 sep
    if ! grep -q "^\[$section\]" "$file" 2>/dev/null; then
        _append_section "$file" "$section"
    fi
    if ! ini_has_option "$file" "$section" "$option"; then
        _insert_after_header "$file" "$section" "$option = $value"
        return
    fi
    # The value goes into a sed replacement: keep "&" and "\" literal.
    value=${value//\\/\\\\}
    value=${value//&/\\&}
    sep=$'\x01'
    sed -i -e "/^\[$section\]/,/^\[.*\]/ s${sep}^\(${option}[ \t]*=[ \t]*\).*\$${sep}\1${value}${sep}" "$file"
}

function iniset_multiline {
    local file=$1 section=$2 option=$3
    shift 3
    local value
    local -a reversed=()
    for value in "$@"; do
        reversed=("$value" "${reversed[@]}")
    done
    if grep -q "^\[$section\]" "$file"; then
        inidelete "$file" "$section" "$option"
    else
        _append_section "$file" "$section"
    fi
    for value in "${reversed[@]}"; do
        _insert_after_header "$file" "$section" "$option = $value"
    done
}

function iniadd {
    local file=$1 section=$2 option=$3
    shift 3
    local old
    old=$(iniget_multiline "$file" "$section" "$option")
    # shellcheck disable=SC2086 # values are split on blanks, as in devstack
    iniset_multiline "$file" "$section" "$option" $old "$@"
}

function is_service_enabled {
    local service
    for service in "$@"; do
        if [[ ,$ENABLED_SERVICES, == *,$service,* ]]; then
            return 0
        fi
    done
    return 1
}

function trueorfalse {
    local default=$1 value=${!2:-}
    case $value in
        1|yes|Yes|YES|true|True|TRUE|on|On|ON) echo True ;;
        0|no|No|NO|false|False|FALSE|off|Off|OFF) echo False ;;
        "") echo "$default" ;;
        *) die $LINENO "$2 is '$value': expected True or False" ;;
    esac
}

function die {
    local line=$1
    shift
    echo "[ERROR] plugin line $line: $*" >&2
    exit 1
}

function warn {
    local line=$1
    shift
    echo "WARNING: $*" >&2
}

function echo_summary {
    echo "$*"
}

function setup_develop {
    echo "setup_develop $*" >> "$DEVSTACK_CALLS"
}

function pip_install {
    echo "pip_install $*" >> "$DEVSTACK_CALLS"
}
