"""Member administrations of the demo: real countries (ISO 3166-1 alpha-2), their WCO region,
working languages (ISO 639-1) and, where well known, the customs administration's own name.

Each row: (code, country name, region code, working languages, administration name or "").
An empty name becomes "<country> Customs". The ``culture`` of a country picks plausible
personal names for its experts (see ``names.py``).
"""

from __future__ import annotations

from typing import NamedTuple


class Country(NamedTuple):
    code: str
    name: str
    region: str
    languages: tuple[str, ...]
    administration: str
    culture: str

    @property
    def administration_name(self) -> str:
        return self.administration or f"{self.name} Customs"


def _c(
    code: str, name: str, region: str, languages: str, culture: str, administration: str = ""
) -> Country:
    return Country(code, name, region, tuple(languages.split()), administration, culture)


AMC, EUR, APA, MENA, ESA, WCA = "AMC", "EUR", "APA", "MENA", "ESA", "WCA"

COUNTRIES: tuple[Country, ...] = (
    # Americas & Caribbean
    _c("AR", "Argentina", AMC, "es", "hispanic", "Dirección General de Aduanas (Argentina)"),
    _c("BS", "Bahamas", AMC, "en", "caribbean", "Bahamas Customs Department"),
    _c("BB", "Barbados", AMC, "en", "caribbean", "Barbados Revenue Authority – Customs"),
    _c("BZ", "Belize", AMC, "en es", "caribbean", "Belize Customs and Excise Department"),
    _c("BO", "Bolivia", AMC, "es", "hispanic", "Aduana Nacional de Bolivia"),
    _c("BR", "Brazil", AMC, "pt", "lusophone", "Receita Federal do Brasil"),
    _c("CA", "Canada", AMC, "en fr", "anglo", "Canada Border Services Agency"),
    _c("CL", "Chile", AMC, "es", "hispanic", "Servicio Nacional de Aduanas (Chile)"),
    _c("CO", "Colombia", AMC, "es", "hispanic", "DIAN – Dirección de Impuestos y Aduanas"),
    _c("CR", "Costa Rica", AMC, "es", "hispanic", "Servicio Nacional de Aduanas (Costa Rica)"),
    _c("CU", "Cuba", AMC, "es", "hispanic", "Aduana General de la República de Cuba"),
    _c("DO", "Dominican Republic", AMC, "es", "hispanic", "Dirección General de Aduanas (RD)"),
    _c("EC", "Ecuador", AMC, "es", "hispanic", "Servicio Nacional de Aduana del Ecuador"),
    _c("SV", "El Salvador", AMC, "es", "hispanic", "Dirección General de Aduanas (El Salvador)"),
    _c("GD", "Grenada", AMC, "en", "caribbean", "Grenada Customs and Excise Division"),
    _c("GT", "Guatemala", AMC, "es", "hispanic", "SAT – Intendencia de Aduanas (Guatemala)"),
    _c("GY", "Guyana", AMC, "en", "caribbean", "Guyana Revenue Authority – Customs"),
    _c("HT", "Haiti", AMC, "fr", "haitian", "Administration générale des douanes (Haïti)"),
    _c("HN", "Honduras", AMC, "es", "hispanic", "Aduanas Honduras"),
    _c("JM", "Jamaica", AMC, "en", "caribbean", "Jamaica Customs Agency"),
    _c("MX", "Mexico", AMC, "es", "hispanic", "Agencia Nacional de Aduanas de México"),
    _c("NI", "Nicaragua", AMC, "es", "hispanic", "Dirección General de Servicios Aduaneros"),
    _c("PA", "Panama", AMC, "es", "hispanic", "Autoridad Nacional de Aduanas (Panamá)"),
    _c("PY", "Paraguay", AMC, "es", "hispanic", "Dirección Nacional de Ingresos Tributarios"),
    _c("PE", "Peru", AMC, "es", "hispanic", "SUNAT – Aduanas (Perú)"),
    _c("LC", "Saint Lucia", AMC, "en", "caribbean", "Saint Lucia Customs and Excise"),
    _c("TT", "Trinidad and Tobago", AMC, "en", "caribbean", "Customs and Excise Division (T&T)"),
    _c("US", "United States", AMC, "en", "anglo", "U.S. Customs and Border Protection"),
    _c("UY", "Uruguay", AMC, "es", "hispanic", "Dirección Nacional de Aduanas (Uruguay)"),
    # Europe
    _c("AL", "Albania", EUR, "en", "balkan", "Albanian Customs Administration"),
    _c("AM", "Armenia", EUR, "en ru", "caucasus", "State Revenue Committee of Armenia"),
    _c("AT", "Austria", EUR, "en", "german", "Austrian Customs"),
    _c("AZ", "Azerbaijan", EUR, "en ru", "caucasus", "State Customs Committee of Azerbaijan"),
    _c("BY", "Belarus", EUR, "ru", "slavic", "State Customs Committee of Belarus"),
    _c("BE", "Belgium", EUR, "fr en", "french", "Administration générale des douanes (Belgique)"),
    _c("BA", "Bosnia and Herzegovina", EUR, "en", "balkan", "Indirect Taxation Authority (BiH)"),
    _c("BG", "Bulgaria", EUR, "en", "balkan", "Bulgarian Customs Agency"),
    _c("HR", "Croatia", EUR, "en", "balkan", "Croatian Customs Administration"),
    _c("CY", "Cyprus", EUR, "en", "greek", "Cyprus Customs and Excise Department"),
    _c("CZ", "Czechia", EUR, "en", "slavic", "Customs Administration of the Czech Republic"),
    _c("DK", "Denmark", EUR, "en", "nordic", "Danish Customs Agency"),
    _c("EE", "Estonia", EUR, "en ru", "nordic", "Estonian Tax and Customs Board"),
    _c("FI", "Finland", EUR, "en", "nordic", "Finnish Customs"),
    _c("FR", "France", EUR, "fr en", "french", "Direction générale des douanes (France)"),
    _c("GE", "Georgia", EUR, "en ru", "caucasus", "Revenue Service of Georgia"),
    _c("DE", "Germany", EUR, "en", "german", "German Customs (Generalzolldirektion)"),
    _c("GR", "Greece", EUR, "en", "greek", "Hellenic Customs"),
    _c("HU", "Hungary", EUR, "en", "slavic", "National Tax and Customs Administration (HU)"),
    _c("IE", "Ireland", EUR, "en", "anglo", "Irish Revenue – Customs"),
    _c("IT", "Italy", EUR, "en fr", "italian", "Agenzia delle Dogane e dei Monopoli"),
    _c("KZ", "Kazakhstan", EUR, "ru en", "central_asian", "State Revenue Committee (KZ)"),
    _c("KG", "Kyrgyzstan", EUR, "ru", "central_asian", "State Customs Service (Kyrgyzstan)"),
    _c("LV", "Latvia", EUR, "en ru", "nordic", "State Revenue Service of Latvia – Customs"),
    _c("LT", "Lithuania", EUR, "en", "nordic", "Lithuanian Customs"),
    _c("LU", "Luxembourg", EUR, "fr en", "french", "Administration des douanes et accises (LU)"),
    _c("MT", "Malta", EUR, "en", "italian", "Malta Customs"),
    _c("MD", "Moldova", EUR, "ru en", "slavic", "Customs Service of Moldova"),
    _c("NL", "Netherlands", EUR, "en", "german", "Netherlands Customs (Douane)"),
    _c("MK", "North Macedonia", EUR, "en", "balkan", "Customs Administration of North Macedonia"),
    _c("NO", "Norway", EUR, "en", "nordic", "Norwegian Customs"),
    _c("PL", "Poland", EUR, "en", "slavic", "National Revenue Administration (Poland)"),
    _c("PT", "Portugal", EUR, "pt en", "lusophone", "Autoridade Tributária e Aduaneira"),
    _c("RO", "Romania", EUR, "en fr", "balkan", "Romanian Customs Authority"),
    _c("RU", "Russian Federation", EUR, "ru en", "russian", "Federal Customs Service (Russia)"),
    _c("RS", "Serbia", EUR, "en", "balkan", "Customs Administration of Serbia"),
    _c("SK", "Slovakia", EUR, "en", "slavic", "Financial Administration of Slovakia"),
    _c("SI", "Slovenia", EUR, "en", "balkan", "Financial Administration of Slovenia"),
    _c("ES", "Spain", EUR, "es en", "hispanic", "Departamento de Aduanas e II.EE. (España)"),
    _c("SE", "Sweden", EUR, "en", "nordic", "Swedish Customs"),
    _c(
        "CH",
        "Switzerland",
        EUR,
        "fr en",
        "german",
        "Federal Office for Customs and Border Security",
    ),
    _c("TJ", "Tajikistan", EUR, "ru", "central_asian", "Customs Service of Tajikistan"),
    _c("TR", "Türkiye", EUR, "en", "turkish", "Ministry of Trade – Customs (Türkiye)"),
    _c("UA", "Ukraine", EUR, "en", "slavic", "State Customs Service of Ukraine"),
    _c("GB", "United Kingdom", EUR, "en", "anglo", "HM Revenue & Customs"),
    _c("UZ", "Uzbekistan", EUR, "ru en", "central_asian", "Customs Committee of Uzbekistan"),
    # Asia Pacific
    _c("AU", "Australia", APA, "en", "anglo", "Australian Border Force"),
    _c("BD", "Bangladesh", APA, "en", "south_asian", "National Board of Revenue – Customs"),
    _c("BT", "Bhutan", APA, "en", "south_asian", "Department of Revenue and Customs (Bhutan)"),
    _c("BN", "Brunei Darussalam", APA, "en", "malay", "Royal Customs and Excise (Brunei)"),
    _c("KH", "Cambodia", APA, "en fr", "southeast_asian", "General Department of Customs (KH)"),
    _c("CN", "China", APA, "en", "chinese", "General Administration of Customs of China"),
    _c("FJ", "Fiji", APA, "en", "pacific", "Fiji Revenue and Customs Service"),
    _c("HK", "Hong Kong, China", APA, "en", "chinese", "Hong Kong Customs and Excise Department"),
    _c("IN", "India", APA, "en", "south_asian", "Central Board of Indirect Taxes and Customs"),
    _c("ID", "Indonesia", APA, "en", "malay", "Directorate General of Customs and Excise (ID)"),
    _c("IR", "Iran", APA, "en", "persian", "Islamic Republic of Iran Customs Administration"),
    _c("JP", "Japan", APA, "en", "japanese", "Japan Customs"),
    _c("KR", "Korea, Republic of", APA, "en", "korean", "Korea Customs Service"),
    _c("LA", "Lao PDR", APA, "en fr", "southeast_asian", "Lao Customs Department"),
    _c("MO", "Macao, China", APA, "en pt", "chinese", "Macao Customs Service"),
    _c("MY", "Malaysia", APA, "en", "malay", "Royal Malaysian Customs Department"),
    _c("MV", "Maldives", APA, "en", "south_asian", "Maldives Customs Service"),
    _c("MN", "Mongolia", APA, "en ru", "mongolian", "Customs General Administration of Mongolia"),
    _c("NP", "Nepal", APA, "en", "south_asian", "Department of Customs (Nepal)"),
    _c("NZ", "New Zealand", APA, "en", "anglo", "New Zealand Customs Service"),
    _c("PK", "Pakistan", APA, "en", "south_asian", "Pakistan Customs"),
    _c("PG", "Papua New Guinea", APA, "en", "pacific", "PNG Customs Service"),
    _c("PH", "Philippines", APA, "en", "filipino", "Bureau of Customs (Philippines)"),
    _c("WS", "Samoa", APA, "en", "pacific", "Ministry of Customs and Revenue (Samoa)"),
    _c("SG", "Singapore", APA, "en", "chinese", "Singapore Customs"),
    _c("LK", "Sri Lanka", APA, "en", "south_asian", "Sri Lanka Customs"),
    _c("TH", "Thailand", APA, "en", "southeast_asian", "Thai Customs Department"),
    _c("TL", "Timor-Leste", APA, "pt en", "lusophone", "Customs Authority of Timor-Leste"),
    _c("VU", "Vanuatu", APA, "en fr", "pacific", "Vanuatu Customs and Inland Revenue"),
    _c("VN", "Viet Nam", APA, "en", "vietnamese", "General Department of Viet Nam Customs"),
    # North Africa, Near & Middle East
    _c("DZ", "Algeria", MENA, "ar fr", "maghreb", "Direction générale des douanes (Algérie)"),
    _c("BH", "Bahrain", MENA, "ar en", "arab", "Bahrain Customs Affairs"),
    _c("EG", "Egypt", MENA, "ar en", "arab", "Egyptian Customs Authority"),
    _c("IQ", "Iraq", MENA, "ar", "arab", "General Commission of Customs (Iraq)"),
    _c("JO", "Jordan", MENA, "ar en", "arab", "Jordan Customs"),
    _c("KW", "Kuwait", MENA, "ar en", "arab", "Kuwait General Administration of Customs"),
    _c("LB", "Lebanon", MENA, "ar fr", "arab", "Lebanese Customs Administration"),
    _c("LY", "Libya", MENA, "ar", "arab", "Libyan Customs Authority"),
    _c("MA", "Morocco", MENA, "ar fr", "maghreb", "Administration des douanes et impôts indirects"),
    _c("OM", "Oman", MENA, "ar en", "arab", "Royal Oman Police – Directorate General of Customs"),
    _c("QA", "Qatar", MENA, "ar en", "arab", "General Authority of Customs (Qatar)"),
    _c("SA", "Saudi Arabia", MENA, "ar en", "arab", "Zakat, Tax and Customs Authority"),
    _c("SY", "Syria", MENA, "ar", "arab", "General Directorate of Customs (Syria)"),
    _c("TN", "Tunisia", MENA, "ar fr", "maghreb", "Direction générale des douanes (Tunisie)"),
    _c("AE", "United Arab Emirates", MENA, "ar en", "arab", "UAE Federal Customs Authority"),
    _c("YE", "Yemen", MENA, "ar", "arab", "Yemen Customs Authority"),
    # East & Southern Africa
    _c("AO", "Angola", ESA, "pt", "lusophone_africa", "Administração Geral Tributária (Angola)"),
    _c("BW", "Botswana", ESA, "en", "southern_african", "Botswana Unified Revenue Service"),
    _c("BI", "Burundi", ESA, "fr en", "east_african_fr", "Office Burundais des Recettes"),
    _c("KM", "Comoros", ESA, "fr ar", "east_african_fr", "Douanes des Comores"),
    _c("DJ", "Djibouti", ESA, "fr ar", "east_african_fr", "Direction des douanes (Djibouti)"),
    _c("SZ", "Eswatini", ESA, "en", "southern_african", "Eswatini Revenue Service"),
    _c("ET", "Ethiopia", ESA, "en", "ethiopian", "Ethiopian Customs Commission"),
    _c("KE", "Kenya", ESA, "en", "east_african", "Kenya Revenue Authority – Customs"),
    _c("LS", "Lesotho", ESA, "en", "southern_african", "Revenue Services Lesotho"),
    _c("MG", "Madagascar", ESA, "fr", "malagasy", "Direction générale des douanes (Madagascar)"),
    _c("MW", "Malawi", ESA, "en", "southern_african", "Malawi Revenue Authority"),
    _c("MU", "Mauritius", ESA, "en fr", "mauritian", "Mauritius Revenue Authority – Customs"),
    _c("MZ", "Mozambique", ESA, "pt", "lusophone_africa", "Autoridade Tributária de Moçambique"),
    _c("NA", "Namibia", ESA, "en", "southern_african", "Namibia Revenue Agency"),
    _c("RW", "Rwanda", ESA, "en fr", "east_african", "Rwanda Revenue Authority"),
    _c("SC", "Seychelles", ESA, "en fr", "mauritian", "Seychelles Revenue Commission"),
    _c("ZA", "South Africa", ESA, "en", "southern_african", "South African Revenue Service"),
    _c("SS", "South Sudan", ESA, "en", "south_sudanese", "South Sudan Customs Service"),
    _c("TZ", "Tanzania", ESA, "en", "east_african", "Tanzania Revenue Authority"),
    _c("UG", "Uganda", ESA, "en", "east_african", "Uganda Revenue Authority"),
    _c("ZM", "Zambia", ESA, "en", "southern_african", "Zambia Revenue Authority"),
    _c("ZW", "Zimbabwe", ESA, "en", "southern_african", "Zimbabwe Revenue Authority"),
    # West & Central Africa
    _c("BJ", "Benin", WCA, "fr", "west_african_fr", "Direction générale des douanes (Bénin)"),
    _c("BF", "Burkina Faso", WCA, "fr", "west_african_fr", "Direction générale des douanes (BF)"),
    _c("CV", "Cabo Verde", WCA, "pt", "lusophone_africa", "Direção Nacional das Receitas (CV)"),
    _c("CM", "Cameroon", WCA, "fr en", "central_african", "Direction générale des douanes (CM)"),
    _c("CF", "Central African Republic", WCA, "fr", "central_african", "Douanes centrafricaines"),
    _c("TD", "Chad", WCA, "fr ar", "central_african", "Direction générale des douanes (Tchad)"),
    _c("CG", "Congo", WCA, "fr", "central_african", "Direction générale des douanes (Congo)"),
    _c("CD", "DR Congo", WCA, "fr", "central_african", "Direction générale des douanes (RDC)"),
    _c("CI", "Côte d'Ivoire", WCA, "fr", "west_african_fr", "Direction générale des douanes (CI)"),
    _c("GQ", "Equatorial Guinea", WCA, "es fr", "central_african", "Aduanas de Guinea Ecuatorial"),
    _c("GA", "Gabon", WCA, "fr", "central_african", "Direction générale des douanes (Gabon)"),
    _c("GM", "Gambia", WCA, "en", "west_african_en", "Gambia Revenue Authority"),
    _c("GH", "Ghana", WCA, "en", "west_african_en", "Ghana Revenue Authority – Customs"),
    _c("GN", "Guinea", WCA, "fr", "west_african_fr", "Direction générale des douanes (Guinée)"),
    _c(
        "GW", "Guinea-Bissau", WCA, "pt fr", "lusophone_africa", "Direção-Geral das Alfândegas (GW)"
    ),
    _c("LR", "Liberia", WCA, "en", "west_african_en", "Liberia Revenue Authority"),
    _c("ML", "Mali", WCA, "fr", "west_african_fr", "Direction générale des douanes (Mali)"),
    _c("MR", "Mauritania", WCA, "fr ar", "maghreb", "Direction générale des douanes (Mauritanie)"),
    _c("NE", "Niger", WCA, "fr", "west_african_fr", "Direction générale des douanes (Niger)"),
    _c("NG", "Nigeria", WCA, "en", "west_african_en", "Nigeria Customs Service"),
    _c("ST", "Sao Tome and Principe", WCA, "pt", "lusophone_africa", "Alfândegas de São Tomé"),
    _c("SN", "Senegal", WCA, "fr", "west_african_fr", "Direction générale des douanes (Sénégal)"),
    _c("SL", "Sierra Leone", WCA, "en", "west_african_en", "National Revenue Authority (SL)"),
    _c("TG", "Togo", WCA, "fr", "west_african_fr", "Office Togolais des Recettes"),
)


def _codes(text: str) -> list[str]:
    return text.split()


# Administrations that lend experts to the pool: large and mid-sized administrations of every
# region, so that every working language and region has experts.
LENDERS: frozenset[str] = frozenset(
    _codes(
        """
    AR BR CA CL CO MX PE US UY JM TT CR DO
    AT BE DE ES FI FR GB IE IT NL NO PL PT SE CH TR KZ RU AZ GE UA
    AU CN IN JP KR MY NZ SG TH ID PH
    DZ EG JO MA SA TN AE OM
    KE ZA UG TZ RW MU BW NA
    SN CI CM NG GH BF BJ
    """
    )
)

# The countries a --small demo keeps (every region, every language, the demo logins' ones).
SMALL: frozenset[str] = frozenset(
    _codes(
        """
    BR CA MX US CO
    FR DE ES GB RU KZ
    AU JP IN TH
    EG MA SA JO
    KE ZA UG MZ
    SN CI NG CM
    """
    )
)

# Per-region offices and their working languages.
REGIONAL_OFFICES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    AMC: ("Regional Office for Capacity Building – Americas & Caribbean", "ROCB AMC", ("es", "en")),
    EUR: ("Regional Office for Capacity Building – Europe", "ROCB EUR", ("en", "ru")),
    APA: ("Regional Office for Capacity Building – Asia Pacific", "ROCB A/P", ("en",)),
    MENA: ("Regional Office for Capacity Building – MENA", "ROCB MENA", ("ar", "en", "fr")),
    ESA: ("Regional Office for Capacity Building – East & Southern Africa", "ROCB ESA", ("en",)),
    WCA: (
        "Regional Office for Capacity Building – West & Central Africa",
        "ROCB WCA",
        ("fr", "en"),
    ),
}


def country(code: str) -> Country:
    for c in COUNTRIES:
        if c.code == code:
            return c
    raise KeyError(code)
