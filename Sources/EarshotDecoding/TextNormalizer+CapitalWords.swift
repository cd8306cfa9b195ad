extension TextNormalizer {
    /// Capital tokens of 2–5 letters that are read as words, not spelled: common English words that text
    /// writes in capitals for emphasis (`Do NOT press`) and acronyms said as words (`PIN`, `NASA`). Any
    /// other all-capital token of 2–5 letters is an acronym (`PBX`, `IVR`, `USA`). The list is short on
    /// purpose: a word missing from it costs a spelled-out word in shouted or emphasised text only.
    public static let commonCapitalWords: Set<String> = [
        // Acronyms said as words.
        "AIDS", "ASCII", "AWOL", "FIFA", "GIF", "JPEG", "LAN", "LASER", "LINUX", "NAFTA", "NASA", "NATO", "OPEC",
        "PIN", "RADAR", "RAM", "ROM", "SCUBA", "SIM", "UNIX", "WAN", "WIFI",
        // Two letters.
        "AH", "AM", "AN", "AS", "AT", "BE", "BY", "DO", "GO", "HE", "HI", "IF", "IN", "IS", "IT", "ME", "MY", "NO",
        "OF", "OH", "OK", "ON", "OR", "OX", "SO", "TO", "UP", "US", "WE", "YO",
        // Three letters.
        "ADD", "AGE", "AGO", "AIR", "ALL", "AND", "ANY", "ARE", "ART", "ASK", "BAD", "BED", "BIG", "BOX", "BOY",
        "BUT", "BUY", "CAN", "CAR", "CAT", "CUT", "DAD", "DAY", "DID", "DOG", "EAT", "END", "EYE", "FAR", "FEW",
        "FOR", "FUN", "GET", "GOD", "GOT", "GUY", "HAD", "HAS", "HER", "HEY", "HIM", "HIS", "HIT", "HOT", "HOW",
        "ITS", "JOB", "KEY", "LAW", "LET", "LIE", "LOT", "LOW", "MAN", "MAY", "MEN", "MOM", "NEW", "NOR", "NOT",
        "NOW", "ODD", "OFF", "OLD", "ONE", "OUR", "OUT", "OWN", "PAY", "PUT", "RED", "RUN", "SAD", "SAW", "SAY",
        "SEE", "SET", "SHE", "SIT", "SIX", "SON", "SUN", "TEN", "THE", "TOO", "TOP", "TRY", "TWO", "USE", "WAR",
        "WAS", "WAY", "WHO", "WHY", "WIN", "WON", "YES", "YET", "YOU",
        // Four letters.
        "ALSO", "AWAY", "BACK", "BEEN", "BEEP", "BEST", "BOTH", "BUSY", "CALL", "CAME", "COME", "DAMN", "DEAD",
        "DIAL", "DOES", "DONE", "DOWN", "EACH", "EASY", "EVEN", "EVER", "FAST", "FEEL", "FIND", "FIVE", "FOUR",
        "FREE", "FROM", "FULL", "GIRL", "GIVE", "GOES", "GOOD", "HARD", "HATE", "HAVE", "HEAR", "HELL", "HELP",
        "HERE", "HIGH", "HOLD", "HOME", "HOPE", "INTO", "JUST", "KEEP", "KILL", "KIND", "KNOW", "LAST", "LEFT",
        "LESS", "LIFE", "LIKE", "LINE", "LIVE", "LONG", "LOOK", "LOSE", "LOST", "LOVE", "MADE", "MAIL", "MAKE",
        "MANY", "MENU", "MIND", "MISS", "MORE", "MOST", "MOVE", "MUCH", "MUST", "NAME", "NEAR", "NEED", "NEXT",
        "NICE", "NINE", "NONE", "NOTE", "OKAY", "ONCE", "ONLY", "OPEN", "OVER", "PART", "PAST", "PLAY", "PUSH",
        "READ", "REAL", "RISK", "SAFE", "SAID", "SAME", "SAVE", "SEND", "SHOW", "SIDE", "SLOW", "SOME", "SOON",
        "STAR", "STOP", "SURE", "TAKE", "TALK", "TELL", "THAN", "THAT", "THEM", "THEN", "THEY", "THIS", "TIME",
        "TONE", "TRUE", "TURN", "USED", "VERY", "WAIT", "WALK", "WANT", "WARN", "WELL", "WENT", "WERE", "WHAT",
        "WHEN", "WILL", "WISH", "WITH", "WORD", "WORK", "YEAR", "YOUR", "ZERO",
        // Five letters.
        "ABOUT", "ABOVE", "AFTER", "AGAIN", "BEING", "BELOW", "BLACK", "CLOSE", "COULD", "DEATH", "EARLY", "EIGHT",
        "EMPTY", "ENTER", "EVERY", "FALSE", "FIRST", "FUNNY", "GREAT", "GUESS", "HAPPY", "HEART", "HEAVY", "HELLO",
        "HOUSE", "LATER", "LEARN", "LEAVE", "LIGHT", "LUCKY", "MAYBE", "MIGHT", "MONEY", "MUSIC", "NEVER", "NIGHT",
        "ORDER", "OTHER", "PARTY", "PEACE", "PLACE", "POINT", "POUND", "POWER", "PRESS", "QUIET", "QUITE", "READY",
        "RIGHT", "SEVEN", "SHALL", "SHORT", "SINCE", "SLEEP", "SMALL", "SORRY", "STAND", "START", "STILL", "STORY",
        "STUFF", "TABLE", "THANK", "THEIR", "THERE", "THESE", "THING", "THINK", "THOSE", "THREE", "TODAY", "TRULY",
        "TRUST", "TRUTH", "UNDER", "UNTIL", "VOICE", "WATCH", "WATER", "WHERE", "WHICH", "WHILE", "WHITE", "WHOLE",
        "WOMAN", "WORLD", "WORST", "WOULD", "WRONG", "YOUNG",
    ]
}
