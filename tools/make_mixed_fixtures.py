#!/usr/bin/env python3
"""Re-makes the mail, EPUB, PDF and archive fixtures in tests/fixtures/mixed/.

    python3 tools/make_mixed_fixtures.py [OUT_DIR]

Everything but the PDF is written with the standard library. The PDF needs reportlab
(`pip install reportlab`); without it the existing report.pdf is left as it is.
The output is deterministic: fixed dates, fixed zip timestamps, reportlab's invariant mode.
"""

import gzip
import io
import os
import sys
import tarfile
import zipfile

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "mixed")
ZIP_TIME = (2025, 3, 14, 9, 30, 0)


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(data)
    print(f"wrote {name} ({len(data)} bytes)")


def crlf(text):
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


# --- letter.eml: quoted-printable text/plain, encoded-word From, signature, quoted reply -------

LETTER = """\
From: =?utf-8?Q?Jos=C3=A9_Mar=C3=ADa_Fern=C3=A1ndez?= <jm.fernandez@example.org>
To: Amina Yusuf <amina.yusuf@example.net>
Subject: =?utf-8?Q?Port_of_Karachi_reopens_after_strike_=E2=80=93_notes?=
Date: Tue, 4 Mar 2025 18:42:07 +0500
Message-ID: <20250304184207.4411@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

On Mon, 3 Mar 2025 at 21:15, Amina Yusuf <amina.yusuf@example.net> wrote=
:
> Can you send a few lines on the port strike before the morning meeting?
> The desk in London wants to know whether exports are affected.

Amina,=20

Dock workers at the Port of Karachi went back to work on Tuesday morning af=
ter the Karachi Port Trust agreed to review the new shift rota that had set=
 off the four-day strike.=20

Rashid Mahmood, who leads the dockers' union, told me the agreement covers=
 overtime pay and a joint committee with the Ministry of Maritime Affairs t=
hat will meet in Islamabad next week. Shipping agents said about forty ves=
sels were still waiting at anchor off Manora.

The Pakistan Business Council put the cost of the stoppage at roughly $90=
 million in delayed exports, mostly textiles bound for Rotterdam and Hamb=
urg. Caf=C3=A9 owners near the East Wharf said it was the quietest week th=
ey could remember.

I'll file the full piece tomorrow once I have a comment from the port trus=
t chairman.

--=20
Jos=C3=A9 Mar=C3=ADa Fern=C3=A1ndez
Correspondent, Karachi bureau
"""

# --- digest.mbox: two messages, the second multipart/alternative with base64 HTML --------------

import base64


def b64_lines(text):
    raw = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return "\n".join(raw[i:i + 76] for i in range(0, len(raw), 76))


DIGEST_HTML = """\
<html><body>
<h1>Flood relief talks in Geneva</h1>
<p>Delegates from the <b>World Health Organization</b> and the government of Sindh met in
Geneva on Thursday to agree on funding for clinics in Dadu and Jacobabad.</p>
<p>&ldquo;We need the money before the monsoon,&rdquo; said Dr. Farah Naqvi, who heads the
provincial health department. The United Nations Children&rsquo;s Fund pledged
$12&nbsp;million.</p>
</body></html>
"""

DIGEST = """\
From desk@example.com Wed Mar  5 07:01:12 2025
From: Newsroom Desk <desk@example.com>
To: subscribers@example.com
Subject: Morning brief: Lahore court adjourns election case
Date: Wed, 5 Mar 2025 07:01:12 +0000
Message-ID: <brief-2025-03-05@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

The Lahore High Court adjourned hearings in the election tribunal case until
March 12 after lawyers for the Election Commission of Pakistan asked for more
time to file their reply.

>From the bench, Justice Saima Qureshi said the court would not allow further
delays and asked both sides to submit written arguments.

Observers from the Free and Fair Election Network said turnout figures from
Gujranwala remained disputed.

From desk@example.com Thu Mar  6 07:02:45 2025
From: "Hassan, Bilal" <bilal.hassan@example.com>
To: subscribers@example.com
Subject: =?utf-8?B?Rmxvb2QgcmVsaWVmIHRhbGtzIGluIEdlbmV2YQ==?=
Date: Thu, 6 Mar 2025 07:02:45 +0000
Message-ID: <brief-2025-03-06@example.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="=_alt_7f3a"

This is a multi-part message in MIME format.

--=_alt_7f3a
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

""" + b64_lines(DIGEST_HTML) + """
--=_alt_7f3a--

"""


# --- book.epub: EPUB 3 with nav.xhtml and three chapters -------------------------------------

CHAPTERS = [
    ("chapter-1.xhtml", "The River Rises", [
        "On the morning of August 26, the Indus broke through the embankment near Sukkur and "
        "spread across the cotton fields of Khairpur faster than anyone in the district office "
        "had thought possible. By noon the water had reached the outskirts of Rohri, and the "
        "deputy commissioner, Tariq Soomro, ordered the evacuation of eleven villages along the "
        "left bank. Families loaded buffalo, charpoys and sacks of wheat onto tractor trolleys "
        "and drove north towards the highway, the only ground that stayed dry.",
        "The Pakistan Meteorological Department had warned for a week that the monsoon would be "
        "heavier than usual. Its bulletins, issued from Islamabad and relayed by Radio Pakistan, "
        "spoke of rainfall three times the seasonal average over Balochistan and upper Sindh. "
        "Few people in the villages heard them, and fewer still had anywhere to go. The "
        "irrigation department's engineers in Hyderabad knew the embankments had not been "
        "repaired since the floods of 2010, but the money set aside for the work had been spent "
        "on a new canal headworks further south.",
        "At the relief camp set up in a government school in Pano Aqil, volunteers from the "
        "Edhi Foundation handed out bottled water and rice. Sakina Bibi, who had walked twelve "
        "kilometres with her four children, said she had left everything behind except a tin "
        "box of papers: the land record, her husband's identity card and a photograph of her "
        "parents. She did not know whether the house was still standing. Her neighbours said "
        "the water in the village had reached the height of a man.",
        "By evening the National Disaster Management Authority put the number of people "
        "displaced in Sindh at more than two hundred thousand. The army sent boats from the "
        "engineering corps at Hyderabad, and the provincial government asked the World Food "
        "Programme for emergency rations. In Karachi, the chief minister held a press "
        "conference and promised that every family would be compensated, a promise that "
        "officials in Sukkur privately doubted the province could keep.",
        "Through the night the water kept rising. Satellite images released the next day by "
        "the European Space Agency showed a lake more than a hundred kilometres long where the "
        "river had been, stretching from Shikarpur to the edge of the Thar desert. Roads, "
        "railway lines and power pylons had vanished beneath it, and the towns that remained "
        "above the water looked like islands in a brown sea.",
        "Reporters who reached Khairpur by boat found schools turned into shelters and "
        "hospitals running on generators. Doctors at the civil hospital said they were "
        "treating diarrhoea and skin infections and feared an outbreak of cholera if clean "
        "water did not arrive soon. The medical superintendent, Dr. Imran Shaikh, said "
        "the hospital had enough medicine for three days and had asked Karachi for more.",
    ]),
    ("chapter-2.xhtml", "Counting the Cost", [
        "A month after the flood, a joint assessment by the World Bank, the Asian Development "
        "Bank and the United Nations Development Programme estimated the damage at fourteen "
        "billion dollars and the economic losses at a further fifteen billion. The figures "
        "were presented in Islamabad by the planning minister, who said Pakistan would need "
        "help from its partners to rebuild homes, schools and roads across Sindh, Balochistan "
        "and southern Punjab. The report counted more than two million houses damaged or "
        "destroyed and nearly four million hectares of crops lost.",
        "Economists at the State Bank of Pakistan warned that the loss of the cotton and rice "
        "harvests would widen the trade deficit and push inflation higher. Textile mills in "
        "Faisalabad, already short of gas, began importing cotton from Brazil and the United "
        "States. Farmers in Dadu said they would miss the wheat sowing season because the "
        "water would not drain from their fields before December, and many had taken loans "
        "from landlords and seed dealers that they could not repay.",
        "In Geneva, the Secretary-General of the United Nations called on donors to match the "
        "scale of the disaster. A pledging conference co-hosted by Pakistan and the United "
        "Nations raised more than nine billion dollars, most of it in loans from the Islamic "
        "Development Bank, the World Bank and Saudi Arabia. Aid groups such as Oxfam and "
        "Save the Children said that loans would deepen the country's debt and asked for "
        "grants instead, arguing that a country responsible for less than one per cent of "
        "global emissions should not borrow to repair damage caused by a warming climate.",
        "Back in Sindh, the provincial government set up a reconstruction authority under a "
        "retired civil servant, Nazia Memon, who had run the housing programme after the 2005 "
        "earthquake in Kashmir. She told reporters in Karachi that the authority would pay "
        "families in instalments as they rebuilt, checked by engineers and recorded on a "
        "mobile application. The first payments, she said, would reach Khairpur and Dadu "
        "before the end of the year.",
        "Critics in the provincial assembly accused the government of favouring districts held "
        "by the ruling party. The Auditor-General of Pakistan opened an inquiry into the "
        "purchase of tents and blankets after newspapers in Lahore reported that suppliers "
        "had been paid for goods that never arrived. The chief secretary of Sindh said the "
        "inquiry would be completed within sixty days and its findings made public.",
        "For the families still living in camps along the Indus Highway, the arguments in "
        "Karachi and Islamabad felt distant. Ghulam Rasool, a farmer from Mehar, said he had "
        "received a single payment of twenty-five thousand rupees and a bag of flour. He had "
        "spent the money on medicine for his father and was now waiting, like his neighbours, "
        "for the water to go down so that he could see what was left of his land.",
    ]),
    ("chapter-3.xhtml", "Building Back", [
        "By the spring, the water had retreated from most of Khairpur, leaving behind a grey "
        "crust of silt over the fields. Engineers from the Sindh Irrigation Department and the "
        "Japan International Cooperation Agency began surveying the embankments between Sukkur "
        "and Kotri, marking the breaches with red flags. They found that many of the earthen "
        "walls had been weakened by burrowing animals and by farmers who had cut channels "
        "through them to water their crops in dry years.",
        "The reconstruction authority's first houses went up in the village of Gaheja, built "
        "from fired brick on raised plinths designed by architects at the Heritage Foundation "
        "of Pakistan. Yasmeen Lari, the architect who founded it, had trained local masons to "
        "build with lime and bamboo, materials that villagers could find and repair "
        "themselves. Visitors from the United Nations Human Settlements Programme came from "
        "Nairobi to see the houses and said the model could be used elsewhere in South Asia.",
        "Not every village was so fortunate. In parts of Jacobabad, where the land is lower and "
        "the soil holds water, families were still living in tents a year after the flood. "
        "Teachers held classes under trees because the school buildings had been declared "
        "unsafe, and the district health officer reported a rise in malaria and dengue as "
        "mosquitoes bred in the standing water. Local councillors wrote to the provincial "
        "government asking for pumps to drain the remaining pools.",
        "The federal government announced a national adaptation plan in Islamabad, promising "
        "early-warning systems for the Indus basin, new rules to stop construction on "
        "floodplains and a fund to insure small farmers against crop loss. The climate change "
        "minister said the plan would be financed partly through the new loss and damage fund "
        "agreed at the climate summit in Sharm el-Sheikh, though the rules for drawing on "
        "that fund had not yet been written.",
        "Scientists at the World Weather Attribution group, working with researchers at the "
        "Pakistan Meteorological Department and Imperial College London, concluded that "
        "climate change had made the extreme rainfall of that August up to fifty per cent more "
        "intense. Their study, published in the autumn, was cited by Pakistani diplomats at "
        "every international meeting that followed, from New York to Baku.",
        "In Gaheja, Sakina Bibi moved into one of the new brick houses in March. She planted a "
        "neem tree beside the door and kept the tin box of papers on a shelf above the stove, "
        "out of reach of any water. Her eldest son had found work on a construction site in "
        "Hyderabad and sent money home each month. She said she hoped the embankment would "
        "hold next time, but that she would not wait to find out if the river rose again.",
    ]),
]

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chapter_xhtml(title, paragraphs):
    body = "\n".join(f"    <p>{xml_escape(p)}</p>" for p in paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en">
  <head><title>{xml_escape(title)}</title><link rel="stylesheet" href="style.css"/></head>
  <body>
    <section epub:type="chapter">
    <h1>{xml_escape(title)}</h1>
{body}
    </section>
  </body>
</html>
"""


def book_epub():
    manifest = "\n".join(
        f'    <item id="c{i}" href="text/{href}" media-type="application/xhtml+xml"/>'
        for i, (href, _, _) in enumerate(CHAPTERS, 1))
    spine = "\n".join(f'    <itemref idref="c{i}"/>' for i in range(1, len(CHAPTERS) + 1))
    opf = f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:6f1b2c1e-52a4-4d2b-9a0e-0d6c7f0e5a11</dc:identifier>
    <dc:title>After the Flood: A Year on the Indus</dc:title>
    <dc:creator id="author">Mariam Qadir</dc:creator>
    <dc:language>en</dc:language>
    <dc:publisher>Harbour Lane Press</dc:publisher>
    <dc:date>2024-09-02</dc:date>
    <meta property="dcterms:modified">2024-09-02T10:00:00Z</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="css" href="style.css" media-type="text/css"/>
{manifest}
  </manifest>
  <spine>
{spine}
  </spine>
</package>
"""
    toc = "\n".join(
        f'        <li><a href="text/{href}">{xml_escape(title)}</a></li>'
        for href, title, _ in CHAPTERS)
    nav = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en">
  <head><title>Contents</title></head>
  <body>
    <nav epub:type="toc" id="toc">
      <h1>Contents</h1>
      <ol>
{toc}
      </ol>
    </nav>
  </body>
</html>
"""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        def add(name, text, compress=zipfile.ZIP_DEFLATED):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = compress
            z.writestr(info, text)
        add("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        add("META-INF/container.xml", CONTAINER)
        add("OEBPS/content.opf", opf)
        add("OEBPS/nav.xhtml", nav)
        add("OEBPS/style.css", "body { font-family: serif; }\nh1 { text-align: center; }\n")
        for href, title, paragraphs in CHAPTERS:
            add(f"OEBPS/text/{href}", chapter_xhtml(title, paragraphs))
    return buf.getvalue()


# --- bundle.zip: two small articles ------------------------------------------------------------

BUNDLE_TXT = """\
Nepal and India agree to extend power trade deal

KATHMANDU, Feb 18 (Newsroom) - Nepal and India on Tuesday agreed to extend a cross-border
electricity trade agreement for another ten years, allowing the Nepal Electricity Authority to
sell surplus hydropower from its rivers into the Indian grid during the monsoon.

Energy Minister Dipak Khadka said after talks in Kathmandu that the deal would let Nepal export
up to 1,000 megawatts, more than double the current volume. Bangladesh is also expected to buy
power through Indian transmission lines under a separate three-way arrangement.

Officials from India's Ministry of Power said the new lines between Dhalkebar and Muzaffarpur
would be completed by the end of next year.
"""

BUNDLE_MD = """\
---
title: Sri Lanka reaches staff-level deal with IMF
date: 2025-02-27
author: Nimali Perera
---

# Sri Lanka reaches staff-level deal with IMF

**COLOMBO** — Sri Lanka reached a staff-level agreement with the *International Monetary Fund*
on the fourth review of its $2.9 billion bailout, the central bank said on Thursday.

Governor Nandalal Weerasinghe told reporters in Colombo that the agreement would release about
$344 million once it is approved by the IMF's executive board in Washington.

Analysts at Fitch Ratings said the deal showed the government of President Anura Kumara
Dissanayake was keeping to the reform programme agreed by his predecessor.
"""


def bundle_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in [("bundle/", ""), ("bundle/nepal-power.txt", BUNDLE_TXT),
                           ("bundle/sri-lanka-imf.md", BUNDLE_MD),
                           ("__MACOSX/bundle/._nepal-power.txt", "\x00\x05\x16\x07"),
                           ("bundle/.DS_Store", "Bud1")]:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name.endswith("/") else zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return buf.getvalue()


def bundle_tar_gz():
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as t:
        def add(name, text, kind=tarfile.REGTYPE, link=""):
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.type = kind
            info.mtime = 1741944600
            info.linkname = link
            info.size = len(data) if kind == tarfile.REGTYPE else 0
            t.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
        add("bundle", "", tarfile.DIRTYPE)
        add("bundle/nepal-power.txt", BUNDLE_TXT)
        add("bundle/sri-lanka-imf.md", BUNDLE_MD)
        add("bundle/latest.txt", "", tarfile.SYMTYPE, "nepal-power.txt")
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as g:
        g.write(raw.getvalue())
    return out.getvalue()


# --- report.pdf: two pages, running header, page numbers, a hyphenated break, metadata ---------

PDF_PAGES = [
    [
        "The Asian Development Bank approved a loan of $475 million on Monday to help",
        "Pakistan rebuild schools, clinics and roads in the districts of Sindh worst hit by",
        "the floods, the bank said in a statement from its headquarters in Manila. The money",
        "will be spent over five years by the Sindh Flood Emergency Rehabilitation Project.",
        "",
        "Country director Yong Ye said the bank would work with the provincial government in",
        "Karachi and with the World Bank, which is financing housing in the same districts.",
        "Officials said the priority was the reconstruc-",
        "tion of 1,200 schools before the next monsoon, most of them in Dadu, Khairpur and",
        "Jacobabad, where classes are still being held in tents.",
        "",
        "The loan comes as Pakistan negotiates the next review of its programme with the",
        "International Monetary Fund in Washington, and as the finance ministry in Islamabad",
        "looks for ways to pay for rebuilding without breaking the budget targets agreed",
        "with the fund.",
    ],
    [
        "Aid groups welcomed the loan but said grants would be better than more debt. Oxfam",
        "said Pakistan already spends more on interest payments than on health and education",
        "combined, and urged donors meeting in Geneva next month to write off part of it.",
        "",
        "In Hyderabad, engineers from the Sindh Irrigation Department said repairs to the",
        "embankments along the Indus would begin in April. The department has asked the",
        "Japan International Cooperation Agency for pumps to drain the fields that are still",
        "under water near Mehar and Johi, where farmers fear they will miss another harvest.",
        "",
        "Nazia Memon, who heads the provincial reconstruction authority, said families whose",
        "houses were destroyed would receive their second payment by the end of March.",
    ],
]


def report_pdf(path):
    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas
    except ImportError:
        print("reportlab is not installed: report.pdf left as it is")
        return
    width, height = A4
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    c.setTitle("ADB approves $475 million for Sindh flood reconstruction")
    c.setAuthor("Saira Baloch")
    c.setSubject("Development finance")
    for number, lines in enumerate(PDF_PAGES, 1):
        c.setFont("Helvetica-Oblique", 8)
        c.drawString(72, height - 40, "South Asia Development Monitor - March 2025")
        c.drawRightString(width - 72, height - 40, "Regional briefing")
        y = height - 90
        if number == 1:
            c.setFont("Helvetica-Bold", 16)
            c.drawString(72, y, "ADB approves $475 million for Sindh")
            c.drawString(72, y - 20, "flood reconstruction")
            c.setFont("Helvetica", 10)
            c.drawString(72, y - 40, "By Saira Baloch, Manila and Karachi")
            y -= 70
        c.setFont("Helvetica", 10.5)
        for line in lines:
            if line:
                c.drawString(72, y, line)
            y -= 14 if line else 8
        c.setFont("Helvetica", 9)
        c.drawCentredString(width / 2, 36, str(number))
        c.showPage()
    c.save()
    print(f"wrote report.pdf ({os.path.getsize(path)} bytes)")


def untitled_pdf(path):
    """A one-page PDF without metadata: its title is its first line."""
    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas
    except ImportError:
        print("reportlab is not installed: untitled.pdf left as it is")
        return
    width, height = A4
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    c.setTitle("")
    c.setAuthor("")
    c.setFont("Helvetica-Bold", 18)
    c.drawString(72, height - 90, "Monsoon rains flood Karachi streets")
    c.setFont("Helvetica", 11)
    y = height - 130
    for line in [
        "Heavy monsoon rain flooded streets across Karachi on Sunday, cutting power to",
        "large parts of the city and stranding commuters on Shahrah-e-Faisal.",
        "",
        "The Karachi Metropolitan Corporation said its pumps were working through the",
        "night to drain underpasses in Saddar and Gulshan-e-Iqbal, and the Pakistan",
        "Meteorological Department forecast more rain for Sindh until Wednesday.",
    ]:
        if line:
            c.drawString(72, y, line)
        y -= 15 if line else 9
    c.showPage()
    c.save()
    print(f"wrote untitled.pdf ({os.path.getsize(path)} bytes)")


def scanned_pdf(path):
    """A page with shapes and no text layer, as a scan without OCR would be."""
    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas
    except ImportError:
        print("reportlab is not installed: scanned.pdf left as it is")
        return
    width, height = A4
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    c.setTitle("scan0001")
    c.setFillGray(0.85)
    c.rect(60, 60, width - 120, height - 120, stroke=0, fill=1)
    c.setFillGray(0.2)
    for i in range(30):
        c.rect(80, height - 100 - i * 22, width - 160 - (i % 4) * 40, 9, stroke=0, fill=1)
    c.showPage()
    c.save()
    print(f"wrote scanned.pdf ({os.path.getsize(path)} bytes)")


def main():
    os.makedirs(OUT, exist_ok=True)
    write("letter.eml", crlf(LETTER).encode("utf-8"))
    write("digest.mbox", DIGEST.encode("utf-8"))
    write("book.epub", book_epub())
    write("bundle.zip", bundle_zip())
    write("bundle.tar.gz", bundle_tar_gz())
    report_pdf(os.path.join(OUT, "report.pdf"))
    untitled_pdf(os.path.join(OUT, "untitled.pdf"))
    scanned_pdf(os.path.join(OUT, "scanned.pdf"))


if __name__ == "__main__":
    main()
