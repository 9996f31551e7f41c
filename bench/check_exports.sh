#!/usr/bin/env bash
# Check that every report export opens: write each with `manage.py export_report`, convert it to
# PDF with LibreOffice, and check the pages with pdfinfo (A4) and pdftotext (the page numbers).
#
#   bench/check_exports.sh [BRANCH] [OUTPUT_DIR]     # default: 田林二中党支部, a new temp dir
#
# Needs the demo data (`make demo`, or DATABASE_URL pointing at a database that has it) and, from
# Debian: libreoffice-writer libreoffice-calc poppler-utils (and fonts-noto-cjk to see Chinese).
# The office fonts the files name (仿宋_GB2312, 黑体 …) are mapped to Noto CJK for the preview by a
# fontconfig file written next to the output. Each conversion gets its own LibreOffice profile.
# Prints one line per file (pages, page size) and exits non-zero if a file did not convert, is not
# A4 or, for the Word summary, has no "— 1 —" page number.
set -euo pipefail

cd "$(dirname "$0")/.."
BRANCH=${1:-田林二中党支部}
OUT=${2:-$(mktemp -d /tmp/branch-portal-exports.XXXXXX)}
mkdir -p "$OUT"
PYTHON=${PYTHON:-.venv/bin/python}

for tool in soffice pdfinfo pdftotext; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install libreoffice-writer libreoffice-calc poppler-utils)" >&2; exit 2; }
done

cat >"$OUT/fonts.conf" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>楷体_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>方正小标宋简体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
</fontconfig>
XML

status=0
for report in summary table; do
    for format in docx xlsx; do
        name="$report-$format"
        mkdir -p "$OUT/$name"
        file="$OUT/$name/$report.$format"
        "$PYTHON" manage.py export_report "$report" --branch "$BRANCH" --format "$format" --output "$file" >/dev/null
        FONTCONFIG_FILE="$OUT/fonts.conf" timeout 120 soffice --headless \
            "-env:UserInstallation=file://$OUT/$name/profile" \
            --convert-to pdf --outdir "$OUT/$name" "$file" >/dev/null 2>&1 || true
        pdf="$OUT/$name/$report.pdf"
        if [[ ! -s $pdf ]]; then
            echo "$name: did not convert" >&2
            status=1
            continue
        fi
        pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
        size=$(pdfinfo "$pdf" | sed -n 's/^Page size: *//p')
        echo "$name: $pages page(s), $size -> $pdf"
        [[ $size == *"(A4)"* ]] || { echo "$name: not A4" >&2; status=1; }
        text=$(pdftotext -layout "$pdf" -)
        if [[ $name == summary-docx && $text != *"— 1 —"* && $text != *"—1—"* ]]; then
            echo "$name: no page number “— 1 —”" >&2
            status=1
        fi
    done
done
echo "files in $OUT (pdftoppm -png -r 60 FILE.pdf page  to look at the pages)"
exit $status
