#include "pdf/hyphenate.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

using imprenta::pdf::Hyphenator;

namespace {

// The word with '-' at every point, after checking the points are ascending code point
// boundaries strictly inside the word.
std::string marked(const Hyphenator& h, const std::string& word) {
    std::vector<size_t> pts = h.points(word);
    std::string out;
    size_t prev = 0;
    for (size_t p : pts) {
        EXPECT_GT(p, prev) << word;
        EXPECT_LT(p, word.size()) << word;
        if (p <= prev || p >= word.size()) return "<bad points>";
        EXPECT_NE(static_cast<unsigned char>(word[p]) & 0xC0, 0x80) << word << " @" << p;
        out += word.substr(prev, p - prev) + "-";
        prev = p;
    }
    return out + word.substr(prev);
}

const Hyphenator& es() {
    static const Hyphenator h("es");
    return h;
}
const Hyphenator& en() {
    static const Hyphenator h("en");
    return h;
}
// Capitalised words allowed, as TeX's \uchyph=1.
imprenta::pdf::HyphenOptions capitals() {
    imprenta::pdf::HyphenOptions o;
    o.capitalized = true;
    return o;
}

} // namespace

TEST(Hyphenate, FindsDictionariesByLanguageTag) {
    EXPECT_TRUE(es().found());
    EXPECT_EQ(es().dictionary_path(), "/usr/share/hyphen/hyph_es_ES.dic");
    EXPECT_EQ(en().dictionary_path(), "/usr/share/hyphen/hyph_en_US.dic");
    EXPECT_EQ(Hyphenator("es-AR").dictionary_path(), "/usr/share/hyphen/hyph_es_AR.dic");
    EXPECT_EQ(Hyphenator("es_MX").dictionary_path(), "/usr/share/hyphen/hyph_es_MX.dic");
    EXPECT_EQ(Hyphenator("ES-mx").dictionary_path(), "/usr/share/hyphen/hyph_es_MX.dic");
    // No such region: the language's default region.
    EXPECT_EQ(Hyphenator("es-ZZ").dictionary_path(), "/usr/share/hyphen/hyph_es_ES.dic");
    EXPECT_EQ(Hyphenator("en-GB").dictionary_path(), "/usr/share/hyphen/hyph_en_US.dic");
}

TEST(Hyphenate, UnknownLanguageIsNotFound) {
    for (const char* tag : {"xx", "", "zz-ZZ", "../../etc/passwd", "e s"}) {
        Hyphenator h(tag);
        EXPECT_FALSE(h.found()) << tag;
        EXPECT_TRUE(h.dictionary_path().empty()) << tag;
        EXPECT_TRUE(h.points("información").empty()) << tag;
    }
}

TEST(Hyphenate, SpanishWords) {
    // Spanish minimums are 2/3 here (babel-spanish has 2/2), hence "fista", not "fis-ta".
    EXPECT_EQ(marked(es(), "electroencefalografista"), "elec-troen-ce-fa-lo-gra-fista");
    EXPECT_EQ(marked(es(), "computadora"), "com-pu-ta-dora");
    EXPECT_EQ(marked(es(), "inteligencia"), "in-te-li-gen-cia");
    EXPECT_EQ(marked(es(), "información"), "in-for-ma-ción");
    EXPECT_EQ(marked(es(), "corazón"), "co-ra-zón");
}

TEST(Hyphenate, SpanishNeverSplitsDigraphs) {
    EXPECT_EQ(marked(es(), "desarrollo"), "de-sa-rro-llo");
    EXPECT_EQ(marked(es(), "ferrocarril"), "fe-rro-ca-rril");
    for (const char* w : {"desarrollo", "ferrocarril", "guerrilla", "caballero", "muchacho"}) {
        std::string m = marked(es(), w);
        EXPECT_EQ(m.find("r-r"), std::string::npos) << m;
        EXPECT_EQ(m.find("l-l"), std::string::npos) << m;
        EXPECT_EQ(m.find("c-h"), std::string::npos) << m;
        EXPECT_NE(m.find('-'), std::string::npos) << m;
    }
}

TEST(Hyphenate, CaseAndSurroundingPunctuation) {
    Hyphenator caps("es", capitals());
    EXPECT_EQ(caps.points("Información"), caps.points("información"));
    EXPECT_EQ(marked(caps, "INFORMACIÓN"), "IN-FOR-MA-CIÓN");
    EXPECT_EQ(marked(es(), "«información»,"), "«in-for-ma-ción»,");
    EXPECT_EQ(marked(caps, "¿Computadora?"), "¿Com-pu-ta-dora?");
    EXPECT_EQ(marked(es(), "(inteligencia…)"), "(in-te-li-gen-cia…)");
    EXPECT_EQ(marked(es(), "“desarrollo”."), "“de-sa-rro-llo”.");
    // Offsets refer to the original bytes: « is two bytes.
    std::vector<size_t> plain = es().points("información");
    std::vector<size_t> quoted = es().points("«información»");
    ASSERT_EQ(plain.size(), quoted.size());
    for (size_t i = 0; i < plain.size(); ++i)
        EXPECT_EQ(quoted[i], plain[i] + 2);
}

TEST(Hyphenate, EnglishWordsWithTexPoints) {
    // en_US minimums are 2/3 as in TeX: "com-puter", not "com-put-er".
    EXPECT_EQ(marked(en(), "hyphenation"), "hy-phen-ation");
    EXPECT_EQ(marked(en(), "algorithm"), "al-go-rithm");
    EXPECT_EQ(marked(en(), "typesetting"), "type-set-ting");
    EXPECT_EQ(marked(en(), "mathematics"), "math-e-mat-ics");
    EXPECT_EQ(marked(en(), "computer"), "com-puter");
    EXPECT_EQ(marked(Hyphenator("en", capitals()), "Typography."), "Ty-pog-ra-phy.");
}

TEST(Hyphenate, NoPointsForUrlsNumbersAndShortWords) {
    for (const char* w :
         {"https://ejemplo.com/informacion", "www.ejemplo.com/computadora", "autora@ejemplo.org",
          "informacion2024", "3computadoras", "snake_case_identifier", "entrada/salida", "casa",
          "«casa»", "mesa", "C:\\programas", "S.A.electroencefalografista", "infor\u00admación",
          ""}) {
        EXPECT_TRUE(es().points(w).empty()) << w;
    }
    EXPECT_TRUE(es().points(std::string(300, 'a')).empty());
    EXPECT_TRUE(es().points("informaci\xff"
                            "n")
                    .empty()); // invalid UTF-8
    EXPECT_TRUE(en().points("http://example.com/hyphenation").empty());
}

TEST(Hyphenate, CompoundsHyphenateEachPartButNotAtTheHyphen) {
    std::string w = "teórico-práctico";
    std::vector<size_t> pts = es().points(w);
    size_t dash = w.find('-');
    for (size_t p : pts)
        EXPECT_NE(p, dash + 1);
    EXPECT_EQ(marked(es(), w), "teó-rico-prác-tico"); // 2/3: no two-letter tails
    // A short part gets no points of its own.
    EXPECT_EQ(marked(es(), "ex-presidente"), "ex-pre-si-dente");
}

TEST(Hyphenate, OffsetsAreCodePointBoundaries) {
    for (const char* w : {"murciélago", "pingüino", "ñandúes", "acción", "Ángeles", "camión",
                          "desempeñaríamos", "«¿Búsqueda?»", "cigüeñas"}) {
        std::string s = w;
        for (size_t p : es().points(s)) {
            ASSERT_GT(p, 0u) << s;
            ASSERT_LT(p, s.size()) << s;
            EXPECT_NE(static_cast<unsigned char>(s[p]) & 0xC0, 0x80) << s << " @" << p;
        }
    }
    EXPECT_FALSE(es().points("desempeñaríamos").empty());
}

TEST(Hyphenate, ThreadSafeAndCached) {
    std::vector<std::string> words = {
        "electroencefalografista", "computadora", "inteligencia", "desarrollo", "información",
        "«Información»,",          "ferrocarril", "murciélago",   "caballero",  "teórico-práctico"};
    std::vector<std::vector<size_t>> expected;
    Hyphenator h("es");
    for (const std::string& w : words)
        expected.push_back(Hyphenator("es").points(w));
    std::vector<std::thread> threads;
    std::vector<int> mismatches(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 300; ++round)
                for (size_t i = 0; i < words.size(); ++i)
                    if (h.points(words[(i + t) % words.size()]) != expected[(i + t) % words.size()])
                        ++mismatches[t];
        });
    }
    for (auto& th : threads)
        th.join();
    for (int t = 0; t < 4; ++t)
        EXPECT_EQ(mismatches[t], 0);
    EXPECT_EQ(h.points("computadora"), expected[1]);
}

TEST(Hyphenate, NamesWithInnerCapitalsAreNotBroken) {
    imprenta::pdf::Hyphenator es("es");
    ASSERT_TRUE(es.found());
    EXPECT_TRUE(es.points("ChatGPT").empty());
    EXPECT_TRUE(es.points("OpenAssistant,").empty());
    EXPECT_TRUE(es.points("DeepSeek").empty());
    Hyphenator caps("es", capitals());
    EXPECT_TRUE(caps.points("DeepSeek").empty());
    EXPECT_FALSE(caps.points("Información").empty()); // only the first letter capital: a word
}

TEST(Hyphenate, CapitalisedWordsAreNamesUnlessTheBookSaysOtherwise) {
    // As TeX's \uchyph=0: "Zucker-berg", "Alt-man" are not split by default.
    for (const char* w : {"Zuckerberg", "Altman", "Sutskever,", "«Microsoft»", "INFORMACIÓN"})
        EXPECT_EQ(marked(es(), w), w);
    EXPECT_EQ(marked(en(), "Zuckerberg"), "Zuckerberg");
    EXPECT_NE(marked(Hyphenator("en", capitals()), "Zuckerberg"), "Zuckerberg");
}

TEST(Hyphenate, NoTwoLetterTailsInSpanishOrEnglish) {
    // English loanwords in a Spanish book: Spanish patterns gave "benchma-rk", "pos-ts".
    for (const char* w : {"benchmark", "posts", "tokens", "lanzó", "tiempo", "especialmente"}) {
        std::string m = marked(es(), w);
        size_t dash = m.rfind('-');
        if (dash == std::string::npos) continue;
        std::string tail = m.substr(dash + 1);
        size_t letters = 0;
        for (unsigned char c : tail)
            letters += (c & 0xC0) != 0x80;
        EXPECT_GE(letters, 3u) << m;
    }
    EXPECT_EQ(marked(es(), "especialmente"), "es-pe-cial-mente");
    imprenta::pdf::HyphenOptions two;
    two.right_min = 2;
    EXPECT_EQ(marked(Hyphenator("es", two), "especialmente"), "es-pe-cial-men-te");
}

TEST(Hyphenate, ExceptionsFromTheBookReplaceThePatterns) {
    imprenta::pdf::HyphenOptions o;
    o.exceptions = {"Zucker-berg", "ta-ble", "pro-ject", "trans-for-mer"};
    Hyphenator en_ex("en", o);
    EXPECT_EQ(marked(en_ex, "Zuckerberg,"), "Zucker-berg,");
    EXPECT_EQ(marked(en_ex, "table."), "ta-ble.");
    EXPECT_EQ(marked(en_ex, "PROJECT"), "PRO-JECT");
    EXPECT_EQ(marked(en_ex, "transformer"), "trans-for-mer");
    EXPECT_EQ(marked(en_ex, "Altman"), "Altman"); // not listed: still a name
    EXPECT_EQ(marked(en_ex, "hyphenation"), marked(en(), "hyphenation"));
    Hyphenator es_ex("es", o);
    EXPECT_EQ(marked(es_ex, "Zuckerberg"), "Zucker-berg");
}
