#!/usr/bin/env python3
"""Writes realistic BizTalk configuration exports.

Shapes follow ../shared/corpus/real (the dsccommunity 2020 export): the same
features, IDs, attribute order and descriptions. Used to make samples/ and the
benchmark corpus; stdlib only."""

from xml.sax.saxutils import escape, quoteattr

GROUP_DESC = "Windows group for accounts with access to the BizTalk hosts."


def _sql(indent, sid, display, server, database):
    p = " " * indent
    return (f'{p}<SQL ID="{sid}" DisplayName="{display}" Description="Specify the name of the SQL Server and database.">\n'
            f"{p}  <Server>{escape(server)}</Server>\n"
            f"{p}  <Database>{escape(database)}</Database>\n"
            f'{p}  <WindowsSecurity Editable="no">yes</WindowsSecurity>\n'
            f"{p}  <UserName />\n"
            f"{p}  <Password />\n"
            f"{p}</SQL>\n")


def _cred(indent, cid, display, account):
    p = " " * indent
    return (f'{p}<NTCredential ID="{cid}" DisplayName="{display}" Description="{GROUP_DESC}">\n'
            f'{p}  <NTAccount ScopeType="105" UpLevelFlags="672" DownLevelFlags="2147483654">{escape(account)}</NTAccount>\n'
            f"{p}</NTCredential>\n")


def _service(indent, sid, display, user, domain, gmsa=None):
    p = " " * indent
    out = (f'{p}<NTService ID="{sid}" DisplayName="{display}" Description="Windows account for {display}.">\n'
           f"{p}  <UserName>{escape(user)}</UserName>\n"
           f"{p}  <Domain>{escape(domain)}</Domain>\n"
           f"{p}  <Password />\n")
    if gmsa is not None:
        out += f"{p}  <IsGmsaAccount>{gmsa}</IsGmsaAccount>\n"
    return out + f"{p}</NTService>\n"


def _yesno(indent, qid, text, yes, body="", yes_guid="{D460CE6D-CCF1-4ebf-BDC9-3149021B91ED}",
           no_guid="{F507BD3D-2205-47bc-A7EF-0E45603BB6C4}"):
    p = " " * indent
    ysel = ' Selected="Yes"' if yes else ""
    nsel = "" if yes else ' Selected="Yes"'
    if body:
        yes_el = f'{p}  <Answer Value="Yes" GUID="{yes_guid}"{ysel}>\n{body}{p}  </Answer>\n'
    else:
        yes_el = f'{p}  <Answer Value="Yes" GUID="{yes_guid}"{ysel} />\n'
    return (f'{p}<Question ID="{qid}" Text={quoteattr(text)} Answers="Yes,No" Default="Yes">\n'
            f"{yes_el}"
            f'{p}  <Answer Value="No" GUID="{no_guid}"{nsel} />\n'
            f"{p}</Question>\n")


def export(comment=None, sql="SQLVS01\\BTS", sso_sql=None, domain="CONTOSO", sso="Create", group="Create",
           groups=None, sso_account=("svc-sso", "CONTOSO"), host_account=("svc-bts-host", "CONTOSO"),
           ihost_account=("svc-bts-ihost", "CONTOSO"), trusted_host=True, trusted_ihost=False,
           runtime=True, rules_engine=True, gmsa="false", extra_sql=None, newline="\n"):
    """Returns one export as text. sso/group: "Create" or "Join"."""
    g = {
        "SSOAdminGroup": f"{domain}\\SSO Administrators",
        "SSOAffiliateAdminGroup": f"{domain}\\SSO Affiliate Administrators",
        "BTS_ADMIN_GROUP": f"{domain}\\BizTalk Server Administrators",
        "BTS_OPERATOR_GROUP": f"{domain}\\BizTalk Server Operators",
        "BTS_B2B_OPERATOR_GROUP": f"{domain}\\BizTalk Server B2B Operators",
        "BTS_READONLY_USER_GROUP": f"{domain}\\BizTalk Server Read Only Users",
        "BTS_HOST_GROUP": f"{domain}\\BizTalk Application Users",
        "BTS_IHOST_GROUP": f"{domain}\\BizTalk Isolated Host Users",
    }
    g.update(groups or {})
    sso_sql = sso_sql or sql
    extra_sql = extra_sql or {}
    o = []
    if comment:
        o.append(f"<!-- {comment} -->\n")
    o.append("<Configuration>\n")
    # Enterprise SSO
    o.append('  <Feature Name="SSOServer,Engine" DisplayName="Enterprise Single Sign-On" Version="1.0" '
             'Description="Enterprise Single Sign-On configuration" ConfigByDefault="true">\n')
    o.append('    <Question ID="IsSecretServer" Text="&amp;Create a new SSO system;&amp;Join an existing SSO system" '
             'Answers="Create,Join" Default="Create">\n')
    create_body = (_cred(8, "SSOAdminGroup", "SSO Administrator(s)", g["SSOAdminGroup"]) +
                   _cred(8, "SSOAffiliateAdminGroup", "SSO Affiliate Administrator(s)", g["SSOAffiliateAdminGroup"]) +
                   '        <FILE ID="SSO_ID_BACKUP_SECRET_FILE" DisplayName="&amp;Backup file location:" '
                   'Description="Location where the master secret will be backed up" OpenFile="true">\n'
                   "          <Value>C:\\SSO\\SSOSecret.bak</Value>\n        </FILE>\n"
                   '        <Name ID="SSO_ID_BACKUP_SECRET_PASSWORD" DisplayName="&amp;Secret backup password:" '
                   'Description="Enter a password used to protect the secret backup file" Hidden="true">\n'
                   "          <Value />\n        </Name>\n"
                   '        <Name ID="SSO_ID_BACKUP_SECRET_PASSWORD_CONFIRM" DisplayName="&amp;Confirm password:" '
                   'Description="Confirm the secret backup password" Hidden="true">\n'
                   "          <Value />\n        </Name>\n")
    if sso == "Create":
        o.append('      <Answer Value="Create" GUID="{FB7268BE-82D4-4cad-8CFF-6930303DA7E2}" Selected="Yes">\n')
        o.append(create_body)
        o.append("      </Answer>\n")
        o.append('      <Answer Value="Join" GUID="{B9432756-1620-4bec-8CD9-E6D0B7805AA5}" />\n')
    else:
        o.append('      <Answer Value="Create" GUID="{FB7268BE-82D4-4cad-8CFF-6930303DA7E2}">\n')
        o.append(create_body)
        o.append("      </Answer>\n")
        o.append('      <Answer Value="Join" GUID="{B9432756-1620-4bec-8CD9-E6D0B7805AA5}" Selected="Yes" />\n')
    o.append("    </Question>\n")
    o.append(_service(4, "ENTSSO", "Enterprise Single Sign-On Service", *sso_account))
    o.append(_sql(4, "SSO_DB_ID", "SSO Database", extra_sql.get("SSO_DB_ID", sso_sql), "SSODB"))
    o.append("  </Feature>\n")
    if group:
        o.append('  <Feature Name="WMI" DisplayName="BizTalk Server Group" Version="1.0" '
                 'Description="The BizTalk Server group." ConfigByDefault="true">\n')
        o.append(_sql(4, "{D757DBF9-5D71-4995-9F20-A552B7DFE7F1}", "BizTalk Management Database",
                      extra_sql.get("MGMT", sql), "BizTalkMgmtDb"))
        o.append('    <Question ID="CREATEORJOIN" Text="Create a &amp;new BizTalk Group;&amp;Join an existing BizTalk Group" '
                 'Answers="Create,Join" Default="Create">\n')
        sel_c = ' Selected="Yes"' if group == "Create" else ""
        sel_j = ' Selected="Yes"' if group == "Join" else ""
        if group == "Create":
            o.append(f'      <Answer Value="Create" GUID="{{C4DEF4B8-163E-4a8d-AB01-6C43917248B1}}"{sel_c}>\n')
            o.append(_sql(8, "{84ADD76E-EBEB-4bb8-B9EB-64F87E483C39}", "BizTalk MessageBox Database",
                          extra_sql.get("MSGBOX", sql), "BizTalkMsgBoxDb"))
            o.append(_sql(8, "{1033195A-3C23-4750-BBD0-06BC12A175D4}", "BizTalk Tracking Database",
                          extra_sql.get("DTA", sql), "BizTalkDTADb"))
            for cid, disp in (("BTS_ADMIN_GROUP", "BizTalk Administrators Group"),
                              ("BTS_OPERATOR_GROUP", "BizTalk Operators Group"),
                              ("BTS_B2B_OPERATOR_GROUP", "BizTalk B2B Operators Group"),
                              ("BTS_READONLY_USER_GROUP", "BizTalk Read Only Users Group")):
                o.append(_cred(8, cid, disp, g[cid]))
            o.append("      </Answer>\n")
        else:
            o.append(f'      <Answer Value="Create" GUID="{{C4DEF4B8-163E-4a8d-AB01-6C43917248B1}}"{sel_c} />\n')
        o.append(f'      <Answer Value="Join" GUID="{{4D12E6A3-552E-4936-9DD3-59E1190FA324}}"{sel_j} />\n')
        o.append("    </Question>\n")
        o.append("  </Feature>\n")
    if runtime:
        o.append('  <Feature Name="Engine,BTSCfg" DisplayName="BizTalk Server runtime components" Version="1.0" '
                 'Description="These settings determine the manner in which the BizTalk hosts and host instances '
                 'are created." ConfigByDefault="true">\n')
        host_body = (_yesno(8, "TRUSTEDHOST", "&Trusted", trusted_host) +
                     _cred(8, "BTS_HOST_GROUP", "BizTalk Host Users Group", g["BTS_HOST_GROUP"]) +
                     '        <Name ID="BTS_HOST_NAME" DisplayName="Ho&amp;st name:" Description="Name of the '
                     'In-Process BizTalk host" Hidden="false">\n'
                     "          <Value>BizTalkServerApplication</Value>\n        </Name>\n" +
                     _service(8, "{B64F63FA-E24E-4991-86F0-ED9F65B68A98}", "BizTalk Host Instance Account",
                              *host_account, gmsa=gmsa))
        o.append(_yesno(4, "HOST", "&Create In-Process Host and Instance", True, host_body,
                        "{8E714C78-05B8-45d1-9B50-D737EF7AD682}", "{D9164C48-8179-4a40-912D-1BF4C3EFE70B}"))
        ihost_body = (_yesno(8, "TRUSTEDIHOST", "Truste&d", trusted_ihost) +
                      _cred(8, "BTS_IHOST_GROUP", "BizTalk Isolated Host Users Group", g["BTS_IHOST_GROUP"]) +
                      '        <Name ID="BTS_IHOST_NAME" DisplayName="Is&amp;olated Host name:" Description="Name '
                      'of the Isolated BizTalk host" Hidden="false">\n'
                      "          <Value>BizTalkServerIsolatedHost</Value>\n        </Name>\n" +
                      _service(8, "{D0A37CEE-F24E-4193-A19F-47B05D7EDA21}", "BizTalk Isolated Host Instance Account",
                               *ihost_account, gmsa=gmsa))
        o.append(_yesno(4, "ISOHOST", "Cr&eate Isolated Host and Instance", True, ihost_body,
                        "{5638D8B2-58C9-4b2a-B5B1-3771ADECC327}", "{5782A1A5-8578-4942-9CBB-E443A15A0B99}"))
        o.append("  </Feature>\n")
    if rules_engine:
        o.append('  <Feature Name="RulesEngine" DisplayName="Business Rules Engine" Version="1.0" '
                 'Description="Business Rules Engine configuration" ConfigByDefault="true">\n')
        o.append(_sql(4, "{E6C5E071-D6EB-4c31-BFE6-CA16637FBEEB}", "Rule Engine Database",
                      extra_sql.get("BRE", sql), "BizTalkRuleEngineDb"))
        o.append(_service(4, "{6ABAD351-9C7B-423e-9FDE-3A5C52441C00}", "Rule Engine Update Service",
                          *host_account, gmsa="False"))
        o.append("  </Feature>\n")
    for name in ("WMI", "BizTalk", "Engine", "SSOServer", "RulesEngine", "AdminTools"):
        o.append(f"  <InstalledFeature>{name}</InstalledFeature>\n")
    o.append("</Configuration>\n")
    return "".join(o).replace("\n", newline)


if __name__ == "__main__":
    import sys
    sys.stdout.write(export())
