#!/usr/bin/env bash
# End-to-end tests of `iskabm data check`: exit codes 0/64/65/74, the summary, the error format.
#   test_data_check.sh BUILD/iskabm SOURCE_DIR
. "$(dirname "$0")/cli_test_lib.sh"
bin=$1 data=$2/data

run "check bundled data" 0 "$bin" data check --data "$data"
expect summary "546 units: Afghanistan 398 (in 34 provinces), Pakistan 148 (in 8 provinces)" "$out"
expect summary "1567 pairs, 63 cross-border" "$out"
expect summary "171 ISK incidents 2014..2018" "$out"
expect summary "Afghanistan      0     2    23    34    81     140" "$out"
expect summary "Pakistan         0     1     3    10    17      31" "$out"
expect summary "data check: OK" "$out"
expect covariates "population      Afghanistan 398/398 (CSO 2013-14 settled population), Pakistan 128/148 (2017 census via the OCHA crosswalk)" "$out"
expect covariates "urban share     Afghanistan 398/398 (CSO 2013-14 urban/total settled population), Pakistan 0/148 (no source)" "$out"
expect covariates "city distance   Afghanistan 398/398, Pakistan 148/148 (great-circle km from the centroid to the nearest of 16 major cities)" "$out"
expect covariates "Shia presence   Afghanistan 398/398 (48 above 0), Pakistan 148/148 (16 above 0)" "$out"
expect covariates "major cities    16 (Afghanistan 6, Pakistan 10): Kabul (AFG-187), Kandahar (AFG-115)" "$out"

run "global option before the subcommand" 0 "$bin" --data "$data" data check
run "data directory from the environment" 0 env ISKABM_DATA_DIR="$data" "$bin" data check
expect env "data directory  $data" "$out"

run "help documents exit codes" 0 "$bin" --help
expect help "Exit codes:" "$out"
expect help "65  bad input data" "$out"
expect help "74  I/O error" "$out"
run "version" 0 "$bin" --version
expect version "iskabm " "$out"
# The commit stamped in the binary is the tree's at build time (cmake/GitCommit.cmake), not the one
# at configure time: after `cmake --build`, it equals `git describe` of the source now.
if command -v git > /dev/null && [ -e "$2/.git" ]; then
  described=$(git -C "$2" describe --always --dirty --abbrev=12 2> /dev/null || true)
  [ -z "$described" ] || expect "version's commit" "(git $described)" "$out"
fi

run "no subcommand" 64 "$bin"
run "unknown option" 64 "$bin" data check --frobnicate
run "unknown subcommand" 64 "$bin" data inspect

cp -r "$data" "$tmp/bad"; chmod -R u+w "$tmp/bad"
sed -i '5s/,331.2,/,33x1.2,/' "$tmp/bad/gazetteer/afg_districts.csv"
run "malformed data file" 65 "$bin" data check --data "$tmp/bad"
expect malformed "$tmp/bad/gazetteer/afg_districts.csv:5: area_km2: cannot parse '33x1.2' as a number" "$err"
[ -z "$out" ] || { echo "FAIL [malformed]: printed a summary despite the error"; fails=$((fails + 1)); }

rm -rf "$tmp/bad"; cp -r "$data" "$tmp/bad"; chmod -R u+w "$tmp/bad"
sed -i '2s/,0.0000,/,1.5000,/' "$tmp/bad/covariates/district_covariates.csv"
run "malformed covariate" 65 "$bin" data check --data "$tmp/bad"
expect covariate "$tmp/bad/covariates/district_covariates.csv:2: urban_share: must be a share in 0..1, got 1.5" "$err"
[ -z "$out" ] || { echo "FAIL [covariate]: printed a summary despite the error"; fails=$((fails + 1)); }

rm -rf "$tmp/bad"; cp -r "$data" "$tmp/bad"; chmod -R u+w "$tmp/bad"
rm "$tmp/bad/events/isk_events_wikipedia_afpak_2015_2018.csv"
run "missing data file" 74 "$bin" data check --data "$tmp/bad"
expect missing "isk_events_wikipedia_afpak_2015_2018.csv: cannot open for reading" "$err"
run "missing data directory" 74 "$bin" data check --data "$tmp/nowhere"
expect nowhere "data directory not found" "$err"
finish
