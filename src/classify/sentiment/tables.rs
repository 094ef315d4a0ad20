//! The constants and word lists of VADER 3.3.2, and earful's own constants.

// Constants of VADER 3.3.2 (empirically derived by its authors).
pub(super) const B_INCR: f64 = 0.293;
pub(super) const B_DECR: f64 = -0.293;
pub(super) const C_INCR: f64 = 0.733;
pub(super) const N_SCALAR: f64 = -0.74;
pub(super) const NORMALIZE_ALPHA: f64 = 15.0;

/// earful: how much a sarcastic opener's valence is reversed (like a negation).
pub(super) const SARCASM_SCALAR: f64 = -0.74;
/// earful: a negative token must be at most this to make an opener sarcastic.
pub(super) const SARCASM_TRIGGER: f64 = -1.0;
/// earful: how many tokens after an opener are searched for a negative token.
pub(super) const SARCASM_WINDOW: usize = 3;
/// earful: weight of negative valences (SO-CAL's negativity weighting, Taboada et al. 2011):
/// language leans positive, so a negative word says more than a positive one.
pub(super) const NEGATIVE_WEIGHT: f64 = 1.3;
/// earful: texts longer than this many tokens have their sum scaled by
/// `sqrt(LENGTH_REFERENCE / tokens)`, so that a long post with a few incidental words does
/// not look as charged as a short outburst (sentiment density rather than volume).
pub(super) const LENGTH_REFERENCE: f64 = 15.0;
/// earful: valence added by a question that is a complaint in disguise.
pub(super) const QUESTION_COMPLAINT: f64 = -1.2;

/// Compound scores at or above this are labelled positive.
///
/// Higher than VADER's 0.05: language leans positive, and one mild word of praise ("ok",
/// "fine", "sure") in a post is mostly politeness, not a positive opinion. Chosen on the
/// training splits (airline train, SemEval 2013-2016); see `docs/classify.md`.
pub const POSITIVE_THRESHOLD: f64 = 0.25;
/// Compound scores at or below this are labelled negative (VADER's threshold).
pub const NEGATIVE_THRESHOLD: f64 = -0.05;

pub(super) const NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

pub(super) const BOOSTERS: &[(&str, f64)] = &[
    ("absolutely", B_INCR),
    ("amazingly", B_INCR),
    ("awfully", B_INCR),
    ("completely", B_INCR),
    ("considerable", B_INCR),
    ("considerably", B_INCR),
    ("decidedly", B_INCR),
    ("deeply", B_INCR),
    ("effing", B_INCR),
    ("enormous", B_INCR),
    ("enormously", B_INCR),
    ("entirely", B_INCR),
    ("especially", B_INCR),
    ("exceptional", B_INCR),
    ("exceptionally", B_INCR),
    ("extreme", B_INCR),
    ("extremely", B_INCR),
    ("fabulously", B_INCR),
    ("flipping", B_INCR),
    ("flippin", B_INCR),
    ("frackin", B_INCR),
    ("fracking", B_INCR),
    ("fricking", B_INCR),
    ("frickin", B_INCR),
    ("frigging", B_INCR),
    ("friggin", B_INCR),
    ("fully", B_INCR),
    ("fuckin", B_INCR),
    ("fucking", B_INCR),
    ("fuggin", B_INCR),
    ("fugging", B_INCR),
    ("greatly", B_INCR),
    ("hella", B_INCR),
    ("highly", B_INCR),
    ("hugely", B_INCR),
    ("incredible", B_INCR),
    ("incredibly", B_INCR),
    ("intensely", B_INCR),
    ("major", B_INCR),
    ("majorly", B_INCR),
    ("more", B_INCR),
    ("most", B_INCR),
    ("particularly", B_INCR),
    ("purely", B_INCR),
    ("quite", B_INCR),
    ("really", B_INCR),
    ("remarkably", B_INCR),
    ("so", B_INCR),
    ("substantially", B_INCR),
    ("thoroughly", B_INCR),
    ("total", B_INCR),
    ("totally", B_INCR),
    ("tremendous", B_INCR),
    ("tremendously", B_INCR),
    ("uber", B_INCR),
    ("unbelievably", B_INCR),
    ("unusually", B_INCR),
    ("utter", B_INCR),
    ("utterly", B_INCR),
    ("very", B_INCR),
    ("almost", B_DECR),
    ("barely", B_DECR),
    ("hardly", B_DECR),
    ("just enough", B_DECR),
    ("kind of", B_DECR),
    ("kinda", B_DECR),
    ("kindof", B_DECR),
    ("kind-of", B_DECR),
    ("less", B_DECR),
    ("little", B_DECR),
    ("marginal", B_DECR),
    ("marginally", B_DECR),
    ("occasional", B_DECR),
    ("occasionally", B_DECR),
    ("partly", B_DECR),
    ("scarce", B_DECR),
    ("scarcely", B_DECR),
    ("slight", B_DECR),
    ("slightly", B_DECR),
    ("somewhat", B_DECR),
    ("sort of", B_DECR),
    ("sorta", B_DECR),
    ("sortof", B_DECR),
    ("sort-of", B_DECR),
];

/// Multi-word boosters, checked as n-grams before a lexicon word.
pub(super) const BOOSTER_NGRAMS: &[(&str, f64)] = &[
    ("just enough", B_DECR),
    ("kind of", B_DECR),
    ("sort of", B_DECR),
];

pub(super) const SPECIAL_CASES: &[(&str, f64)] = &[
    ("the shit", 3.0),
    ("the bomb", 3.0),
    ("bad ass", 1.5),
    ("badass", 1.5),
    ("bus stop", 0.0),
    ("yeah right", -2.0),
    ("kiss of death", -1.5),
    ("to die for", 3.0),
    ("beating heart", 3.5),
];
