"""Fictional service descriptions (written for these tests, no real text) built at test time.

Three PDF styles drawn with fpdf2 (TTF font, ruled tables, running header/footer "Page N of M",
superscript footnote markers) and Markdown strings: an English Unified-Support-like description,
its French equivalent, and another vendor's plans x features description with P1-P4 priorities.
Used by ``tests/test_normalize_general*.py`` to check that normalize does not only fit the corpus.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


class _Doc(FPDF):
    def __init__(self, running_title: str, lang: str) -> None:
        super().__init__(format="A4")
        self.running_title = running_title
        self.lang = lang
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font("DejaVu", "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.set_auto_page_break(True, margin=22)
        self.set_margins(20, 22, 20)

    def header(self) -> None:
        self.set_font("DejaVu", "", 8)
        self.set_xy(20, 8)
        self.cell(0, 5, self.running_title, align="L")
        self.set_font("DejaVu", "", 11)
        self.set_xy(20, 22)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("DejaVu", "", 8)
        label = "Page {n} sur {nb}" if self.lang == "fr" else "Page {n} of {nb}"
        self.cell(0, 5, label.format(n=self.page_no(), nb="{nb}"), align="C")

    # -- building blocks ------------------------------------------------------------------------
    def heading(self, text: str, level: int = 1) -> None:
        size = {1: 18, 2: 14, 3: 12}[level]
        self.ln(3)
        self.set_font("DejaVu", "B", size)
        self.multi_cell(0, size * 0.55, text)
        self.ln(2)
        self.set_font("DejaVu", "", 10)

    def para(self, text: str) -> None:
        self.set_font("DejaVu", "", 10)
        self.multi_cell(0, 5, text)
        self.ln(2)

    def bullet(self, text: str) -> None:
        self.set_font("DejaVu", "", 10)
        self.set_x(26)
        self.cell(5, 5, "•")
        self.multi_cell(0, 5, text)
        self.ln(1)

    def sup_para(self, marker: str, text: str, size: int = 8) -> None:
        """A footnote line: a raised small marker, then the note."""
        self.set_font("DejaVu", "", size)
        y = self.get_y()
        self.set_font("DejaVu", "", size - 3)
        self.set_xy(20, y - 1)
        self.cell(3, 4, marker)
        self.set_font("DejaVu", "", size)
        self.set_xy(23, y)
        self.multi_cell(0, 4, text)
        self.ln(1)

    def mark_table(
        self, header: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...]
    ) -> None:
        """Ruled table drawn cell by cell; a cell "✓^1" draws the 1 as a superscript."""
        self.set_font("DejaVu", "B", 10)
        x0 = 20
        self.set_fill_color(220, 228, 240)
        for w, t in zip(widths, header, strict=True):
            self.cell(w, 8, t, border=1, fill=True)
        self.ln(8)
        for row in rows:
            self.set_x(x0)
            for i, (w, t) in enumerate(zip(widths, row, strict=True)):
                self.set_font("DejaVu", "", 10)
                text, _, sup = t.partition("^")
                x, y = self.get_x(), self.get_y()
                self.cell(w, 7, text, border=1, align="L" if i == 0 else "C")
                if sup:
                    self.set_font("DejaVu", "", 6)
                    tw = self.get_string_width(text) if False else 0
                    self.set_xy(x + w / 2 + 2 + tw, y + 0.6)
                    self.cell(3, 3, sup)
                    self.set_xy(x + w, y)
            self.ln(7)
        self.ln(2)

    def grid_table(self, rows: list[tuple[str, ...]], widths: tuple[int, ...]) -> None:
        """Ruled table with wrapping cells (fpdf2's table()); first row is the header."""
        self.set_font("DejaVu", "", 9)
        with self.table(col_widths=widths, text_align="LEFT", line_height=4.5) as table:
            for row in rows:
                r = table.row()
                for t in row:
                    r.cell(t)
        self.ln(3)


# ============================================================================ English Unified-like

EN_TITLE = "Contoso Unified Enterprise Support Services Description"


def build_en_unified_pdf(path: Path) -> Path:
    pdf = _Doc(EN_TITLE, "en")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.heading(EN_TITLE, 1)
    pdf.para("Edition: 3 March 2025")
    pdf.para(
        "This document describes the support services that Contoso offers to enterprise customers "
        "who buy a Unified Enterprise Support agreement. Read it with your enrollment form."
    )
    pdf.heading("1 About the services", 1)
    pdf.para(
        "Your agreement combines a Base Package with services you choose. The tables below show "
        "which services are in the Base Package and which ones you can add."
    )
    pdf.heading("1.1 Proactive Services", 2)
    pdf.para("Proactive services help to prevent issues in your environment before they happen.")
    pdf.heading("Planning Services", 3)
    pdf.mark_table(
        ("Service", "Availability"),
        [("Onboarding Services", "✓"), ("Roadmap Workshops", "⊞"), ("Architecture Review", "✓^1")],
        (120, 50),
    )
    pdf.para("✓ - Included in your Base Package")
    pdf.para("⊞ - Additional service that can be purchased")
    pdf.para("✓1 - Services that may be provided if the conditions in your enrollment are met")
    pdf.para(
        "Onboarding Services: help to set up your account, name your contacts and agree on a first "
        "plan of work with a service delivery manager."
    )
    pdf.para(
        "Roadmap Workshops: guided sessions, delivered remotely or on-site, where our engineers "
        "review your plans for the next twelve months."
    )
    pdf.para(
        "Architecture Review: a look at the design of one workload by a senior engineer, with a "
        "written report delivered within 10 business days."
    )
    pdf.heading("Maintenance Services", 3)
    pdf.mark_table(
        ("Service", "Availability"),
        [
            ("Health Check Assessment", "✓"),
            ("Security Posture Program (SPP)", "⊞"),
            ("Offline Risk Review", "✓"),
        ],
        (120, 50),
    )
    pdf.para("✓ - Included in your Base Package")
    pdf.para("⊞ - Additional service that can be purchased")
    pdf.para(
        "Health Check Assessment: an automated review of the configuration of your servers, run "
        "once per quarter from our portal."
    )
    pdf.para(
        "Security Posture Program (SPP): a yearly review of your identity and network settings "
        "that ends with a remediation plan."
    )
    pdf.para(
        "Offline Risk Review: an engineer collects data on site and reports the risks found, "
        "during business hours from 9:00 AM to 5:00 PM local time."
    )
    pdf.heading("Conditions and limitations", 3)
    pdf.bullet("Assessments are limited to two (2) per contract year.")
    pdf.bullet("Reports are delivered in English only.")
    pdf.heading("Your responsibilities", 3)
    pdf.bullet("Give our engineers remote access to the servers in scope.")
    pdf.bullet("Name one contact who can approve changes.")
    pdf.heading("1.2 Reactive Services", 2)
    pdf.para(
        "Problem Resolution Support: help with problems that you meet while using supported "
        "products, available 24 hours a day, 7 days a week."
    )
    pdf.para("The response times below depend on the severity that you and we agree on.")
    pdf.grid_table(
        [
            ("Severity and situation", "Our expected response", "Your expected response"),
            (
                "Severity 1 Critical business impact: your business has lost a core function and "
                "needs attention right away",
                "Azure components - first call response within 15 minutes or less. All other "
                "products - first call response within one hour or less. Continuous effort all day "
                "and night",
                "Your senior staff are engaged around the clock. Access to your change control authority",
            ),
            (
                "Severity A Critical business impact with a workaround that is not acceptable",
                "First call response within one hour or less. Continuous effort",
                "Resources allocated for continuous effort",
            ),
            (
                "Severity B Moderate business impact: loss or degradation of services",
                "First call response within two (2) business hours or less",
                "Resources allocated during business hours",
            ),
            (
                "Severity C Minimum business impact: the service works with minor impediments",
                "First call response within four (4) business hours or less",
                "Accurate contact information",
            ),
        ],
        (55, 60, 55),
    )
    pdf.sup_para("1", "Conditions are set out in your enrollment form and depend on the products you use.")
    pdf.heading("1.3 Enhanced Services", 2)
    pdf.mark_table(
        ("Service", "Availability"),
        [("Named Support Engineering", "⊞"), ("Cloud Event Watch", "⊞^2")],
        (120, 50),
    )
    pdf.para("⊞ - Additional service that can be purchased")
    pdf.para("⊞2 - Additional service that can be purchased within the quantity limits of your order")
    pdf.heading("Named Support Engineering", 3)
    pdf.para(
        "Named Support Engineering (NSE) gives you engineers who know your environment and work "
        "on your cases, delivered remotely from 8:00 AM to 5:00 PM on business days."
    )
    pdf.heading("Prerequisites and limitations", 3)
    pdf.bullet("You must also buy Problem Resolution Support hours.")
    pdf.bullet("Engineers speak English and Japanese.")
    pdf.heading("Your responsibilities", 3)
    pdf.bullet("Keep the list of your authorised contacts up to date.")
    pdf.heading("Cloud Event Watch", 3)
    pdf.para(
        "Cloud Event Watch (CEW) is a service in which our team watches your cloud deployments "
        "during a planned event and answers within 30 minutes."
    )
    pdf.output(str(path))
    return path


# ============================================================================ French Unified-like

FR_TITLE = "Description des Services de Support Unifié Entreprise de Fabrikam"


def build_fr_unified_pdf(path: Path) -> Path:
    pdf = _Doc(FR_TITLE, "fr")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.heading(FR_TITLE, 1)
    pdf.para("Édition : 12 septembre 2024")
    pdf.para(
        "Le présent document décrit les services de support que Fabrikam propose aux entreprises "
        "qui souscrivent un contrat de support unifié. Il se lit avec votre bon de commande."
    )
    pdf.heading("1 Présentation des services", 1)
    pdf.para(
        "Votre contrat réunit un forfait de base et des services que vous choisissez. Les tableaux "
        "ci-dessous indiquent ce qui est inclus et ce qui peut être ajouté."
    )
    pdf.heading("1.1 Services proactifs", 2)
    pdf.para("Les services proactifs aident à éviter les incidents dans votre environnement.")
    pdf.heading("Services de planification", 3)
    pdf.mark_table(
        ("Service", "Disponibilité"),
        [
            ("Services d’intégration", "✓"),
            ("Ateliers de feuille de route", "⊞"),
            ("Revue d’architecture", "✓^1"),
        ],
        (120, 50),
    )
    pdf.para("✓ - Inclus dans votre forfait de base")
    pdf.para("⊞ - Service supplémentaire pouvant être acheté")
    pdf.para("✓1 - Services pouvant être fournis si les conditions de votre contrat sont remplies")
    pdf.para(
        "Services d’intégration : aide à la mise en place de votre compte, désignation de vos "
        "contacts et premier plan de travail avec un responsable de la prestation."
    )
    pdf.para(
        "Ateliers de feuille de route : séances guidées, à distance ou sur site, où nos "
        "ingénieurs examinent vos projets des douze prochains mois."
    )
    pdf.para(
        "Revue d’architecture : examen de la conception d’une charge de travail par un ingénieur "
        "principal, avec un rapport écrit remis sous 10 jours ouvrés."
    )
    pdf.heading("Services de maintenance", 3)
    pdf.mark_table(
        ("Service", "Disponibilité"),
        [("Bilan de santé", "✓"), ("Programme de sécurité (PDS)", "⊞")],
        (120, 50),
    )
    pdf.para("✓ - Inclus dans votre forfait de base")
    pdf.para("⊞ - Service supplémentaire pouvant être acheté")
    pdf.para(
        "Bilan de santé : revue automatisée de la configuration de vos serveurs, exécutée une "
        "fois par trimestre depuis notre portail."
    )
    pdf.para(
        "Programme de sécurité (PDS) : revue annuelle de vos paramètres d’identité et de réseau "
        "qui se termine par un plan de correction."
    )
    pdf.heading("Conditions et limitations", 3)
    pdf.bullet("Les évaluations sont limitées à deux (2) par année de contrat.")
    pdf.heading("Vos responsabilités", 3)
    pdf.bullet("Donner à nos ingénieurs un accès à distance aux serveurs concernés.")
    pdf.heading("1.2 Services réactifs", 2)
    pdf.para(
        "Support de résolution de problèmes : aide pour les problèmes rencontrés avec les "
        "produits pris en charge, disponible 24 heures sur 24, 7 jours sur 7."
    )
    pdf.grid_table(
        [
            ("Gravité et situation", "Notre réponse attendue", "Votre réponse attendue"),
            (
                "Gravité 1 Impact critique sur l’activité : perte d’une fonction essentielle",
                "Composants Azure : première réponse en 15 minutes ou moins. Tous les autres "
                "produits : première réponse en une (1) heure ou moins",
                "Vos équipes sont mobilisées jour et nuit",
            ),
            (
                "Gravité B Impact modéré sur l’activité : perte ou dégradation des services",
                "Première réponse en deux (2) heures ouvrées ou moins",
                "Ressources affectées pendant les heures ouvrées",
            ),
            (
                "Gravité C Impact minimal : le service fonctionne avec une gêne mineure",
                "Première réponse en quatre (4) heures ouvrées ou moins",
                "Coordonnées exactes",
            ),
        ],
        (55, 60, 55),
    )
    pdf.sup_para("1", "Les conditions figurent dans votre bon de commande.")
    pdf.output(str(path))
    return path


# ============================================================================ other vendor (plans)

VENDOR_TITLE = "Northwind Cloud Support Plans"


def build_vendor_pdf(path: Path) -> Path:
    pdf = _Doc(VENDOR_TITLE, "en")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.heading(VENDOR_TITLE, 1)
    pdf.para("Last updated: January 15, 2025")
    pdf.para(
        "Northwind sells three support plans for its cloud platform. This guide lists what each "
        "plan includes and how fast we respond to your cases."
    )
    pdf.heading("Plan comparison", 2)
    pdf.grid_table(
        [
            ("Feature", "Standard", "Premium", "Enterprise"),
            ("Technical Account Manager", "Not available", "Add-on", "Included"),
            ("Phone support", "✘", "✔", "✔"),
            ("Architecture guidance", "○", "●", "●"),
            ("Training credits", "No", "Optional", "Yes"),
            ("Proactive reviews", "-", "x", "x"),
        ],
        (70, 33, 33, 34),
    )
    pdf.para("● Included in the plan   ○ Available as an add-on")
    pdf.heading("Case priorities", 2)
    pdf.para("You choose the priority when you open a case; we may change it with you.")
    pdf.grid_table(
        [
            ("Priority", "Description", "Initial response"),
            ("P1 - Critical", "Production system down for all users", "30 minutes"),
            ("P2 - High", "Production system impaired", "1 hour"),
            ("P3 - Medium", "Non-production issue or a question about a feature", "4 business hours"),
            ("P4 - Low", "General guidance", "Next business day"),
        ],
        (40, 80, 50),
    )
    pdf.heading("Response times by plan", 2)
    pdf.grid_table(
        [
            ("Priority", "Standard", "Premium", "Enterprise"),
            (
                "Sev A",
                "Initial response: 4 business hours",
                "Initial response: 1 hour",
                "Initial response: 15 min",
            ),
            (
                "Sev B",
                "Initial response: next business day",
                "Initial response: 4 hours",
                "Initial response: 2 hours",
            ),
        ],
        (40, 43, 43, 44),
    )
    pdf.output(str(path))
    return path


# ============================================================================ Markdown documents

EN_UNIFIED_MD = """\
---
title: Tailspin Unified Support Services Description
ms.date: 2024-11-04
---

# Tailspin Unified Support Services Description

This description lists the support services that Tailspin provides under a unified agreement.

## Proactive Services

Proactive services keep your systems healthy.

| Service | Availability |
|---|---|
| Onboarding Services | ✓ |
| Risk Assessment Program (RAP) | + |
| Custom Workshops | ✓<sup>1</sup> |

✓ - Included in your Base Package
+ - Additional service that can be purchased
✓<sup>1</sup> - Services that may be provided subject to resource availability

Onboarding Services: a kick-off meeting and a service plan, set up within 30 days of the start of
your agreement.

Risk Assessment Program (RAP): a review of your environment with a report and a remediation plan.

Custom Workshops: workshops built for your team, delivered in English or French.

### Conditions and limitations

- Workshops are limited to 20 attendees.

### Your responsibilities

- Provide a room and a projector for on-site sessions.

## Reactive Services

| Severity and situation | Our expected response | Your expected response |
|---|---|---|
| Severity 1: critical business impact | First call response within one hour or less | Continuous effort |
| Severity B: moderate business impact | First call response within two (2) business hours or less | Business hours |
| Severity C: minimum business impact | First call response within four (4) business hours or less | Contact details |
"""

VENDOR_MD = """\
---
title: Adatum Support Plans
ms.date: 2025-02-10
---

# Adatum Support Plans

Adatum offers three support plans.

## Features by plan

| Feature | Standard | Premium | Enterprise |
|---|---|---|---|
| Email support | ✔ | ✔ | ✔ |
| Phone support | ✘ | ✔ | ✔ |
| Dedicated engineer | Not available | Add-on | Included |
| Storage for logs | 10 GB | 1 TB | 25 TB |

## Severity levels

| Severity | Definition | Initial response |
|---|---|---|
| Critical | Service unavailable | 30 min |
| High | Major function degraded | within 1 hour |
| Medium | Minor function degraded | 4 business hours |
| Low | Questions | next business day |
"""

WORDS_MD = """\
---
title: Proseware Managed Support Description
ms.date: 2023-06-30
---

# Proseware Managed Support Description

## Services

| Service | Description | Availability |
|---|---|---|
| Incident handling | Help with incidents on supported products | Included |
| Quarterly business review | A review of your cases with your account team | Add-on |
| Custom reporting | Reports built for your dashboards | Optional |
| Dedicated on-site engineer | An engineer in your office | Not available |

## Priorities

| Priority | Examples | Initial response |
|---|---|---|
| 1 - Urgent | Production outage | within the hour |
| 2 - High | Degraded service | 4 business hours |
| 3 - Normal | Questions | Next business day (NBD) |
"""

FR_SEVERITY_MD = """\
---
title: Description du support Proseware
ms.date: 2023-06-30
---

# Description du support Proseware

## Niveaux de gravité

| Niveau de gravité | Description | Délai de première réponse |
|---|---|---|
| Critique | Arrêt complet du service | 1 heure |
| Élevée | Service fortement dégradé | 4 heures ouvrées |
| Moyenne | Gêne modérée | Le jour ouvré suivant |
| Faible | Question | une demi-heure |
"""

COLUMNS_MD = """\
---
ms.date: 2024-01-01
---

# Litware Support Guide

Litware provides support for its products.

## Support services

| Service | Included | Add-on |
|---|---|---|
| Case management | ✓ | |
| Security Posture Program | | ✓ |
| Assessments | ✓ | |

**Case management**: we track your cases from start to finish in our portal.

Security Posture Program (SPP): a yearly security review with a remediation plan for your team.

- Assessment: a review of one workload by an engineer, delivered within 5 business days.

## Response targets

| Severity | Standard | Premium |
|---|---|---|
| Sev 1 | 4 business hours | 1 hour |
| Sev 2 | Next business day | 4 business hours |
"""

PLAN_WORDS_MD = """\
# Fabrikam Support Plans

Plans for Fabrikam customers.

## Plans

| Service | Standard | Premium | Enterprise |
|---|---|---|---|
| Account manager | Not available | Add-on | Included |
| Training | Optional | Included | Included |
| Onboarding | Included | Included | Included |

## Niveaux

| Fonctionnalité | Essentiel | Avancé |
|---|---|---|
| Support téléphonique | Non disponible | Inclus |
| Revue trimestrielle | En option | Inclus |
"""

DASH_MD = """\
# Wingtip Support

Wingtip support overview.

## Services

| Service | Availability |
|---|---|
| Onboarding Services | ✓ |
| Health Checks | + |

Onboarding Services – help to set up your account and name your contacts.

- Health Check – an automated review of your servers, run each quarter.

Support hours – business days only, which is not a service.
"""

SYMBOLS_MD = """\
# Wingtip Support

Wingtip support overview.

## Services

| Service | Availability |
|---|---|
| Onboarding Services | ✓ |
| Health Checks | ✓* |
| Migration help | ❌ |

✓ - Included in your subscription
✓* - Included where available in your region

## Plans

| Feature | Basic | Pro |
|---|---|---|
| Chat | ❌ | ✅ |
| Phone | ✓* | ✓ |
"""

GROUPS_MD = """\
# Wingtip Support

Wingtip support overview.

## Proactive Services

| Service | Availability |
|---|---|
| **Planning Services** | |
| Onboarding Services | ✓ |
| Roadmap Workshops | + |
| **Maintenance Services** | |
| Health Checks | ✓ |
"""
