#!/usr/bin/env bash
# Installs the Debian 12 packages btclint needs to build, run and test.
# Safe to run again: it only calls apt when something is missing.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libxml2-dev libxml2-utils libjansson-dev libinih-dev freetds-dev libldap-dev
  libcmocka-dev python3 python3-jsonschema
  slapd ldap-utils openssl
  valgrind clang libclang-rt-14-dev time bsdutils
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
# slapd is only a test fixture: it must not configure a directory of its own.
echo "slapd slapd/no_configuration boolean true" | $sudo debconf-set-selections
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
