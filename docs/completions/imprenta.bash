# bash completion for imprenta (installed as share/bash-completion/completions/imprenta)
_imprenta() {
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "build check clean init watch help --help --version" -- "$cur"))
        return
    fi
    cmd=${COMP_WORDS[1]}
    case $prev in
        -o|--output|--cache-dir|--release-version)
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        -f|--format)
            if [ "$cmd" = check ]; then
                COMPREPLY=($(compgen -W "text json" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "epub pdf epub,pdf" -- "$cur"))
            fi
            return ;;
        -l|--lang)
            return ;;
    esac
    if [[ $cur == -* ]]; then
        case $cmd in
            build|watch) COMPREPLY=($(compgen -W "--output --format --lang --strict --quiet --verbose --cache-dir --no-cache --release-version --help" -- "$cur")) ;;
            check) COMPREPLY=($(compgen -W "--format --lang --strict --quiet --help" -- "$cur")) ;;
            clean) COMPREPLY=($(compgen -W "--output --quiet --verbose --help" -- "$cur")) ;;
            init) COMPREPLY=($(compgen -W "--hugo --help" -- "$cur")) ;;
        esac
        return
    fi
    # A book folder, or for build and check one essay.
    if [ "$cmd" = build ] || [ "$cmd" = check ]; then
        COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X '!*.@(md|markdown|txt)' -- "$cur"))
    else
        COMPREPLY=($(compgen -d -- "$cur"))
    fi
}
complete -o filenames -F _imprenta imprenta
