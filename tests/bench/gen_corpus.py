#!/usr/bin/env python3
"""Writes a benchmark corpus: N realistic configuration exports in a folder.

Usage: gen_corpus.py DIR N [--seed S] [--broken FRACTION] [--farm-size K]
                     [--mistakes FRACTION]

The variety follows ../shared/corpus/real: farms of 1-6 servers (the first
creates SSO and the group, the others join), optional BAM, EDI/AS2, REST API
and BAM portal features (so sizes run from ~3 KB to ~25 KB, twice that in
UTF-16), non-ASCII names, and the encodings Windows writes: UTF-8, UTF-8 with
a BOM, UTF-16LE with a BOM and CRLF. About one export in ten carries a
configuration mistake a rule reports. --broken adds files that are not
well-formed (a raw '&' in an attribute, as in the MicrosoftDocs sample); the
default is 0 so that both tools of tests/bench/run.sh parse every file.
--farm-size K writes farms of K servers (0, the default: 1 to 6 at random;
K = N: one farm of N servers, as tests/bench/one_farm.sh checks).
--mistakes sets the share of exports with a mistake (default 0.10).

Deterministic: the same DIR, N and seed write the same bytes. Stdlib only."""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exportgen  # noqa: E402

EDI = """  <Feature Name="MsEDIAS2" DisplayName="BizTalk EDI/AS2 Runtime" Version="1.0" Description="The EDI Runtime enables BizTalk Server to process EDI documents." ConfigByDefault="true">
    <Question ID="EDI" Text="E&amp;nable BizTalk EDI for this BizTalk Group" Answers="Yes,No" Default="Yes">
      <Answer Value="Yes" GUID="{EC1CDD3A-BFD2-48A1-92B5-45F3069DE061}" Selected="Yes" />
      <Answer Value="No" GUID="{7FF0780D-406C-4BCC-BC77-A5BD83869193}" />
    </Question>
    <Question ID="AS2" Text="Ena&amp;ble BizTalk AS2 for this BizTalk Group" Answers="Yes,No" Default="Yes">
      <Answer Value="Yes" GUID="{2E33F8AA-4126-4608-9344-7B8EBDE78E29}" Selected="Yes" />
      <Answer Value="No" GUID="{DEC87603-0372-4ACC-B567-15BA6AFE630E}" />
    </Question>
    <Question ID="StatusReport" Text="Enable BizTalk EDI/AS2 Runtime &amp;Status Reporting for this BizTalk Group" Answers="Yes,No" Default="Yes">
      <Answer Value="Yes" GUID="{6A273C7A-67FC-40FE-ADB7-FF41CD682021}" Selected="Yes" />
      <Answer Value="No" GUID="{09DC7E6A-BE35-4C58-BC12-E04403F613AA}" />
    </Question>
  </Feature>
"""

BAM_SQL = """    <SQL ID="{ID}" DisplayName="{NAME}" Description="SQL database used by Business Activity Monitoring.">
      <Server>{SERVER}</Server>
      <Database>{DB}</Database>
      <WindowsSecurity Editable="no">yes</WindowsSecurity>
      <UserName />
      <Password />
    </SQL>
"""

BAM_TAIL = """    <Question ID="{308cc88b-9e51-4103-ae4c-73300e02a7eb}" Text="&amp;Enable BAM alerts" Answers="Yes,No" Default="No">
      <Answer Value="Yes" GUID="{458e1878-eae6-4e09-8e5c-ba516548ceac}">
        <Name ID="{8B3212A1-44EA-46bc-A06C-75E289D1F840}" DisplayName="S&amp;QL Server for Alerts Databases:" Description="SQL server for BAM Alerting." Hidden="false">
          <Value>
          </Value>
        </Name>
        <Name ID="{33c8fd0a-c89d-4dd0-8b2b-2ddacc6620e6}" DisplayName="BAM Alerts &amp;SMTP Server:" Description="SMTP server to use for sending out BAM Alerting messages." Hidden="false">
          <Value>smtp.contoso.com</Value>
        </Name>
      </Answer>
      <Answer Value="No" GUID="{3d95a679-aa37-403f-bf64-194e6aa2d993}" Selected="Yes" />
    </Question>
  </Feature>
  <Feature Name="MOT" DisplayName="BAM runtime" Version="1.0" Description="Tracking data decoding service used to move tracked data and persist it for query use." />
"""

PORTAL = """  <Feature Name="BAMPortal" DisplayName="BAM Portal" Version="1.0" Description="The Business Activity Monitoring (BAM) Portal is used to query individual instance data stored in the Tracking database." ConfigByDefault="true">
    <NTService ID="{C08C5A6C-53FB-41bd-A1CE-FD7209FD16F4}" DisplayName="BAM Management Web Service user" Description="Windows account that will have permissions to access the data in the BAM Primary Import Database.">
      <UserName>svc-bam-ws</UserName>
      <Domain>{DOMAIN}</Domain>
      <Password />
    </NTService>
    <NTCredential ID="{e8118b16-0585-41a4-99bb-6d8a30570fcc}" DisplayName="BAM Portal Users" Description="The user accounts under which the BAM portal services run.">
      <NTAccount ScopeType="103" UpLevelFlags="676" DownLevelFlags="2147483654">{DOMAIN}\\BAM Portal Users</NTAccount>
    </NTCredential>
    <WebSite ID="{DA1ABC72-465B-4953-ADD7-98CEA6F4E503}" DisplayName="BAM Portal Web &amp;Site:" Description="Web site of the BAM Portal virtual directory.">
      <WebSiteName>Default Web Site</WebSiteName>
    </WebSite>
  </Feature>
"""

REST = """  <Feature Name="RestApi" DisplayName="BizTalk REST APIs" Version="1.0" Description="BizTalk Server REST APIs for management and operational data" ConfigByDefault="true">
    <NTService ID="{0FAD4E63-B5DB-4C43-8569-C8F80EA266FC}" DisplayName="Management Service" Description="Management Service">
      <UserName>svc-rest</UserName>
      <Domain>{DOMAIN}</Domain>
      <Password />
      <IsGmsaAccount>False</IsGmsaAccount>
    </NTService>
    <NTCredential ID="{2507C665-DE5F-4A38-B8A8-CAB593C17D6A}" DisplayName="Management REST APIs User Role" Description="User Role for BizTalk Management REST APIs">
      <NTAccount ScopeType="103" UpLevelFlags="676" DownLevelFlags="2147483654">{DOMAIN}\\BizTalk Server Administrators</NTAccount>
    </NTCredential>
    <WebSite ID="{3A5204AB-1B33-49BB-970B-6BBFD149033C}" DisplayName="REST APIs website" Description="Website for BizTalk REST APIs">
      <WebSiteName>Default Web Site</WebSiteName>
    </WebSite>
  </Feature>
"""

DOMAINS = ["CONTOSO", "FABRIKAM", "NORTHWIND", "WOODGROVE", "ADVENTUREWORKS"]
# Non-ASCII group names, as a French or German estate writes them.
LOCAL_GROUPS = [None, None, None, {"BTS_ADMIN_GROUP": "{d}\\Administrateurs BizTalk Société"},
                {"BTS_OPERATOR_GROUP": "{d}\\BizTalk-Operatoren Müller"},
                {"SSOAdminGroup": "{d}\\Administradores de SSO Año"}]


def bam(sql):
    out = ['  <Feature Name="BAMTools" DisplayName="Business Activity Monitoring tools" Version="1.0" '
           'Description="Tools for the creation and maintenance of the BAM infrastructure." ConfigByDefault="true">\n']
    for sid, name, db in (("{E1FC3106-8DD4-4f12-9EB6-849DD8BDD605}", "BAM Primary Import Database", "BAMPrimaryImport"),
                          ("{1D372BCB-DF59-43b6-A4A9-87082B5727B0}", "BAM Archive Database", "BAMArchive")):
        out.append(BAM_SQL.replace("{ID}", sid).replace("{NAME}", name).replace("{SERVER}", sql).replace("{DB}", db))
    out.append(BAM_TAIL)
    return "".join(out)


def one_export(rng, farm, position, mistakes=0.10):
    """Text (LF newlines) of the export of server `position` of a farm."""
    domain = farm["domain"]
    sql = farm["sql"]
    groups = LOCAL_GROUPS[farm["groups"]]
    groups = {k: v.format(d=domain) for k, v in groups.items()} if groups else None
    kw = dict(sql=sql, domain=domain, groups=groups,
              sso="Create" if position == 0 else "Join",
              group="Create" if position == 0 else "Join",
              sso_account=("svc-sso", domain), host_account=("svc-bts-host", domain),
              ihost_account=("svc-bts-ihost", domain),
              trusted_host=rng.random() < 0.8, trusted_ihost=rng.random() < 0.2,
              rules_engine=rng.random() < 0.7, gmsa=rng.choice(["false", "False", "true"]))
    if rng.random() < 0.05:
        kw["comment"] = "Exported by Configuration.exe on " + farm["name"]
    # About one export in ten holds a mistake a rule reports.
    mistake = rng.random() * 0.10 / mistakes if mistakes > 0 else 1.0
    if mistake < 0.03:
        kw["sql"] = "localhost"
    elif mistake < 0.05:
        kw["extra_sql"] = {"DTA": "%%SQL-Server%%"}
    elif mistake < 0.07:
        kw["host_account"] = ("Administrator", domain)
    elif mistake < 0.09:
        kw["groups"] = {"BTS_HOST_GROUP": f"{farm['name']}\\BizTalk Application Users"}
    elif mistake < 0.10:
        kw["sso_sql"] = farm["sql"] + "-OTHER"
    text = exportgen.export(**kw)
    extra = []
    if farm["bam"]:
        extra.append(bam(sql))
    if farm["edi"]:
        extra.append(EDI)
    if farm["portal"] and position == 0:
        extra.append(PORTAL.replace("{DOMAIN}", domain))
    if farm["rest"]:
        extra.append(REST.replace("{DOMAIN}", domain))
    if extra:
        at = text.index("  <InstalledFeature>")
        text = text[:at] + "".join(extra) + text[at:]
    if mistake < 0.10 and rng.random() < 0.3:
        text = text.replace("<Password />", "<Password>Winter2024!</Password>", 1)
    return text


def encode(rng, text):
    """Bytes as Windows would write them: the encodings in their shares."""
    r = rng.random()
    if r < 0.55:
        return text.encode("utf-8")
    if r < 0.70:
        return text.replace("\n", "\r\n").encode("utf-8")
    if r < 0.85:
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")


def generate(out_dir, n, seed=1, broken=0.0, farm_size=0, mistakes=0.10):
    rng = random.Random(seed)
    os.makedirs(out_dir, exist_ok=True)
    written = 0
    farm_no = 0
    while written < n:
        farm_no += 1
        size = min(n - written, farm_size or rng.choice([1, 1, 2, 2, 3, 4, 6]))
        farm = {
            "name": f"BTS{farm_no:04d}",
            "domain": rng.choice(DOMAINS),
            "sql": f"SQL{farm_no:04d}\\BTS" if rng.random() < 0.6 else f"sqlag{farm_no:04d}.contoso.com",
            "groups": rng.randrange(len(LOCAL_GROUPS)),
            "bam": rng.random() < 0.4,
            "edi": rng.random() < 0.5,
            "portal": rng.random() < 0.3,
            "rest": rng.random() < 0.3,
        }
        for position in range(size):
            text = one_export(rng, farm, position, mistakes)
            if rng.random() < broken:
                text = text.replace('Name="SSOServer,Engine"', 'Name="SSOServer & Engine"', 1)
            data = encode(rng, text)
            path = os.path.join(out_dir, f"{farm['name']}-{position + 1:0{max(2, len(str(size)))}d}.xml")
            with open(path, "wb") as f:
                f.write(data)
            written += 1
    return written


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--broken", type=float, default=0.0)
    ap.add_argument("--farm-size", type=int, default=0)
    ap.add_argument("--mistakes", type=float, default=0.10)
    a = ap.parse_args()
    generate(a.dir, a.n, a.seed, a.broken, a.farm_size, a.mistakes)


if __name__ == "__main__":
    main()
