"""Narratives shaped like the real release's: their lengths, their vocabulary spread, their references.

The real rows (../shared/reference/real_rows/) are LLM-written prose: each narrative opens with the
persona's name, names their city, job or work status and family, and then goes its own way with a wide
vocabulary (1,542 distinct words in 3,365). Templates alone compress ~14x; here every sentence is one of
many templates whose slots draw uniformly from large composed word banks, so the text comes close to the
real rows' compressibility (zlib 2.9x on five rows at a time, the real rows 2.5x) and keeps their lengths
(COLUMN_LENGTHS, measured on them).
Everything is vectorised over a shard: numpy picks, pyarrow joins the strings.
"""

from __future__ import annotations

import re
from itertools import product

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .vocabulary import hobby_vocabulary, skill_vocabulary

# Mean and standard deviation of each narrative's length in characters, measured on the five real rows.
COLUMN_LENGTHS = {
    "persona": (242, 15),
    "professional_persona": (357, 37),
    "sports_persona": (349, 56),
    "arts_persona": (380, 89),
    "travel_persona": (368, 98),
    "culinary_persona": (379, 83),
    "cultural_background": (725, 225),
    "skills_and_expertise": (740, 219),
    "hobbies_and_interests": (658, 198),
    "career_goals_and_ambitions": (627, 197),
}

_ADJECTIVES = """steady practical curious meticulous warm stubborn easygoing disciplined generous outspoken patient
restless thoughtful resourceful pragmatic witty earnest methodical sociable reserved adventurous frugal loyal
spirited candid observant diligent nostalgic competitive gentle tenacious humble energetic analytical creative
cautious optimistic skeptical grounded soft-spoken detail-oriented quick-witted hardworking routine-driven
budget-conscious community-minded faith-centered family-first self-taught plainspoken even-keeled bighearted
no-nonsense open-minded level-headed strong-willed independent sentimental unflappable scrappy inventive
reliable vivid quiet lively rustic modest bold seasoned""".split()
_NOUNS = """neighborhood garden kitchen workshop church library union shift deadline budget ledger routine
notebook playlist recipe festival market harbor trail porch backyard classroom clinic warehouse office
studio garage pantry parish council league roster checklist spreadsheet toolbox calendar scrapbook
heirloom quilt skillet smoker canoe pickup mural choir bakery diner taqueria bodega farmstand boardwalk
riverfront ballpark stadium fairground campground orchard vineyard cul-de-sac duplex trailer farmhouse
brownstone bungalow apartment homestead""".split()
_VERBS = """balances tracks organizes mentors coaches juggles plans budgets repairs restores bakes grills
tends volunteers sketches photographs hikes paddles fishes gardens journals collects researches
negotiates schedules troubleshoots refurbishes knits quilts crochets""".split()
_ADVERBS = """quietly carefully stubbornly cheerfully patiently methodically proudly eagerly calmly
deliberately gradually steadily happily reluctantly routinely""".split()
_ACTIVITIES = [
    f"{verb} {thing}"
    for verb, thing in product(
        "restoring building refinishing tending photographing sketching collecting organizing planning "
        "repairing cooking baking fermenting smoking growing painting".split(),
        "old furniture|vintage radios|raised beds|heirloom tomatoes|backyard birds|family recipes|sourdough "
        "loaves|brisket|herb pots|model trains|hand-tied flies|river stones|classic cars|quilts|bird feeders|"
        "porch swings|bicycles|photo albums|seed catalogs".split("|"),
    )
]
_DESTINATIONS = [
    "Lake Michigan", "the Blue Ridge Parkway", "the Ozarks", "Yellowstone", "the Florida Keys", "Cape Cod",
    "Zion", "Door County", "the Outer Banks", "Napa Valley", "Big Sur", "the Smoky Mountains", "Mackinac Island",
    "the Black Hills", "Santa Fe", "New Orleans", "Savannah", "Charleston", "Asheville", "Sedona", "Acadia",
    "the Badlands", "Lake Tahoe", "Crater Lake", "Mount Rainier", "the Gulf Coast", "the Adirondacks",
    "the Catskills", "Puerto Vallarta", "Kyoto", "Lisbon", "Dublin", "Oaxaca", "Seoul", "Vancouver", "Montreal",
    "Rome", "Barcelona", "Reykjavik", "Marrakech", "Hanoi", "Lima", "Nairobi", "Athens", "Prague", "San Juan",
    "Galveston", "Duluth", "Branson", "Gatlinburg", "Myrtle Beach", "Key West", "Joshua Tree", "Glacier",
]  # fmt: skip
_TEAMS = [
    "Green Bay Packers", "Chicago Cubs", "Dallas Cowboys", "Boston Red Sox", "Golden State Warriors",
    "Kansas City Chiefs", "New York Yankees", "Los Angeles Dodgers", "Philadelphia Eagles", "Detroit Lions",
    "Milwaukee Brewers", "Atlanta Braves", "Houston Astros", "Seattle Seahawks", "Denver Broncos",
    "Miami Heat", "San Antonio Spurs", "Pittsburgh Steelers", "Minnesota Twins", "St. Louis Cardinals",
    "Alabama Crimson Tide", "Ohio State Buckeyes", "Texas Longhorns", "Wisconsin Badgers", "Duke Blue Devils",
    "Kentucky Wildcats", "Chicago Bulls", "Boston Celtics", "New Orleans Saints", "Buffalo Bills",
]  # fmt: skip
_GENRES = """blues bluegrass gospel jazz salsa bachata norteño country honky-tonk soul funk Motown
hip-hop indie folk classic rock punk reggaeton cumbia zydeco swing opera K-pop mariachi""".split()
_ARTISTS = [
    f"{first} {last}"
    for first, last in product(
        "Willie Patsy Aretha Johnny Dolly Selena Prince Nina Bruce Stevie Joni Carlos Ella Hank Loretta".split(),
        "Nelson Cline Franklin Cash Parton Quintanilla Simone Springsteen Wonder Mitchell Santana Fitzgerald "
        "Williams Lynn Haggard".split(),
    )
]
_DISHES = [
    f"{style} {base}"
    for style, base in product(
        "smoky slow-braised spicy garlicky lemony hand-rolled cast-iron wood-fired buttery tangy herb-crusted "
        "chile-rubbed honey-glazed cheddar-crusted pan-seared".split(),
        "brisket|tamales|gumbo|pierogi|pozole|enchiladas|jambalaya|pot roast|meatloaf|collard greens|cornbread|"
        "biscuits|lasagna|curry|pho|bibimbap|jollof rice|arroz con pollo|apple crumble|pound cake|tacos|chili|"
        "shrimp and grits|pupusas|empanadas|kimchi stew|red beans and rice|peach cobbler".split("|"),
    )
]
_HERITAGES = """Italian Irish Mexican German Polish Puerto Rican Korean Vietnamese Nigerian Filipino Cuban Indian
Chinese Haitian Salvadoran Dominican Greek Lebanese Ukrainian Jamaican Norwegian Cherokee Navajo Scottish
Japanese Ethiopian Colombian Portuguese Swedish Cajun""".split()
_VALUES = """hard work thrift faith honesty hospitality self-reliance education community service loyalty
patience humor resilience punctuality modesty generosity""".split()
_TOOLS = (
    "spreadsheets|point-of-sale systems|forklifts|torque wrenches|label printers|scheduling software|electronic "
    "health records|inventory scanners|CAD drawings|power tools|cash registers|dispatch radios|QuickBooks|Excel "
    "macros|pallet jacks|lesson plans|insurance forms|safety checklists|grant budgets|CRM dashboards".split("|")
)


# A general vocabulary for the sentences every narrative shares: noun phrases (adjective + noun) and verb
# phrases, drawn with a mild preference for common words. This is where most of the text's entropy comes from.
_MORE_ADJECTIVES = """small big old new bright dim noisy calm crowded empty sunny rainy snowy dusty muddy tidy messy
shared private local regional national seasonal weekly daily yearly early late slow fast careful casual formal
friendly honest simple complex careful heavy light fragile sturdy handmade secondhand homemade borrowed rented
favorite familiar unfamiliar distant nearby hidden famous forgotten modern traditional rural urban suburban coastal
mountain desert riverside lakeside downtown uptown northern southern eastern western hopeful anxious proud tired
busy lazy hungry thirsty clever kind strict fair loud soft sharp dull sweet bitter salty sour spicy fresh stale
ripe raw cooked frozen warm cool hot cold wet dry clean dirty broken fixed quiet green blue red golden silver
wooden brick stone glass paper cotton woolen leather plastic digital analog electric manual precise rough smooth
narrow wide deep shallow tall short long brief rare common useful useless cheap pricey humble fancy plain""".split()
_MORE_NOUNS = """table chair window door roof wall floor stairway hallway basement attic yard fence gate driveway street
avenue highway bridge river creek pond lake beach forest field meadow hill valley canyon desert prairie farm
barn ranch garden orchard greenhouse shed garage workshop factory warehouse store shop market mall bakery cafe
restaurant kitchen pantry stove oven grill fridge freezer sink counter cabinet drawer shelf closet bedroom
bathroom office desk computer laptop phone tablet printer camera radio television speaker guitar piano violin
drum trumpet microphone notebook journal diary calendar planner binder folder envelope letter postcard package
truck van car bicycle motorcycle boat canoe kayak train bus subway airport station harbor dock pier lighthouse
school college campus library museum theater cinema stadium arena gym park playground trail campsite cabin
tent lantern flashlight backpack suitcase map compass ticket passport souvenir photograph painting sculpture
mural poster quilt blanket pillow sweater jacket scarf boots sneakers hat gloves apron uniform badge toolbox
hammer wrench drill saw ladder bucket shovel rake hose sprinkler seed sapling tomato pepper onion garlic potato
corn bean squash pumpkin apple peach cherry lemon orange banana berry bread cheese butter honey coffee tea
recipe casserole soup stew salad sandwich pie cake cookie muffin pancake waffle omelet taco burrito noodle
dumpling festival parade concert rehearsal lesson workshop seminar meeting shift schedule deadline budget
invoice receipt paycheck mortgage lease loan savings account pension neighbor cousin nephew niece grandparent
grandchild sibling roommate coworker supervisor mentor student teacher coach pastor volunteer customer client
patient tenant landlord""".split()
_MORE_VERBS = """bake build fix paint clean cook plant water prune harvest collect sort organize label track count
measure weigh check review read write draft edit print share teach coach guide mentor train support visit
explore discover notice remember record photograph sketch design sew knit mend restore repair replace
polish sand varnish assemble install maintain inspect test compare study research learn practice rehearse
perform play sing hum whistle dance stretch walk hike climb paddle swim bike drive park load unload stack
pack unpack wrap deliver order buy sell trade barter save spend budget invest borrow lend donate host
welcome invite celebrate honor respect protect defend encourage comfort cheer follow watch stream record
""".split()


def _verb_forms(verb: str) -> tuple[str, str]:
    """Third person and -ing form of a regular English verb."""
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        third = verb + "es"
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        third = verb[:-1] + "ies"
    else:
        third = verb + "s"
    ing = verb[:-1] + "ing" if verb.endswith("e") and not verb.endswith("ee") else verb + "ing"
    return third, ing


_ALL_ADJECTIVES = sorted(set(_ADJECTIVES) | set(_MORE_ADJECTIVES))
_ALL_NOUNS = sorted(set(_NOUNS) | set(_MORE_NOUNS))
# what a noun phrase names: the nouns above, and the skills and hobbies the lists are drawn from
_THINGS = sorted(set(_ALL_NOUNS) | {item.lower().strip() for item in skill_vocabulary() + hobby_vocabulary()})
_VERBS_THIRD = [_verb_forms(v)[0] for v in _MORE_VERBS]
_VERBS_ING = [_verb_forms(v)[1] for v in _MORE_VERBS]
_VERBS_ING_CAPITALIZED = [v.capitalize() for v in _VERBS_ING]
_GENERAL = [
    "{He} {vs} the {np} and {vs} the {np} before {he} {vs} anything else.",
    "Between {ving} the {np} and {ving} a {np}, {he} still finds time for the {np}.",
    "{His} {np} is full of {np}s, {np}s and a {np} {he} refuses to give away.",
    "Most mornings start with {ving} the {np}, then {ving} the {np} near the {np}.",
    "{He} learned from a {np} that {ving} a {np} beats {ving} a {np}.",
    "A {np} by the {np} reminds {him} of {ving} {np}s with {his} {np}.",
    "When the {np} gets {adj}, {he} {vs} the {np} and {vs} the {np}.",
    "{He} likes {adj} {noun}s, {adj} {noun}s and anything involving a {np}.",
    "There is always a {np} waiting, a {np} to {verb}, or a {np} to {verb}.",
    "People notice {his} {adj} way of {ving} the {np} and {ving} the {np}.",
    "Now and then {he} drives to {town} for a {np}, a {np} or simply a {adj} change of scenery.",
    "Friends from {town} still tease {him} about the {np} and the {adj} {noun} that followed.",
    "{He} keeps a {adj} list of {noun}s to {verb}, {noun}s to {verb} and {noun}s to avoid.",
    "Years of {ving} {np}s taught {him} to {verb} first and {verb} later.",
    "The {np} in {his} {noun} came from a {adj} {noun} sale in {town}.",
    "{He} would rather {verb} a {np} than {verb} a {np}, and says so often.",
    "On {adj} evenings {he} {vs} {np}s while the {np} plays in the background.",
    "{His} {adj} {noun} doubles as a place for {ving} {np}s and {ving} {np}s.",
    "{He} {vs} {np}, {vs} {np} and {vs} {np}.",
    "{His} {np}, {np} and {np} say more about {him} than any {np}.",
    "{Ving} {np} and {ving} {np} keep {him} {adj}.",
    "{He} {adv} {vs} {np} with {np} from {town}.",
    "{His} week mixes {np}, {np}, {np} and {np}.",
    "{Ving} {np}s, {ving} {np}s, {ving} a {np}: {he} rarely sits still.",
    "{He} {adv} {vs} {np}s for {np}s in {town} and {city}.",
    "A {np}, two {np}s and a {np} make {his} {adj} {noun} feel like home.",
    "{He} {vs} the {np} {adv}, then {vs} {np}s with {adj} {noun}s.",
    "{He} has spent {num} years {ving} {np}s and about {num} more {ving} {np}s.",
    "Since {year}, {he} has {ving} {np}s at least {num} times a month.",
    "{His} record: {num} {np}s, {num} {np}s and one {adj} {noun} in {year}.",
]
# Closing words for a sentence, drawn at random: real prose rarely repeats a sentence's ending.
_TAILS = [""] * 30 + [
    ", at least most of the time", ", much to the family's amusement", ", a habit picked up years ago",
    ", even on the busiest weeks", ", whatever the weather", ", usually with a cup of coffee nearby",
    ", though not always on schedule", ", which surprises people who just met", ", as a matter of pride",
    ", often with a friend or two", ", especially in the spring", ", when the budget allows",
    ", something the neighbors have come to expect", ", without much fuss", ", and rarely complains about it",
    ", a tradition worth keeping", ", a lesson learned the hard way", ", just as a parent once did",
    ", more often than anyone expects", ", at a pace that suits", ", between everything else",
    ", with a notebook close at hand", ", in a way that feels natural", ", on good days and bad",
]  # fmt: skip

# Row references real narratives make: {name} {first} {He} {he} {his} {him} {city} {state} {occ} {work}
# {family} come from the persona's own columns; the rest draw from the banks above.
_OPENERS = {
    "persona": [
        "{name} is a {adj}, {adj} {occ} who {does} life with a {adj} streak.",
        "{name} is an {adj} {occ} from {city} with a {adj} eye for {np}s.",
        "{name}, a {adj} {occ}, mixes {adj} ambition with a love of {np}s.",
        "{name} brings {adj} humor and a {adj} heart to everything from {np}s to {np}s.",
    ],
    "professional_persona": ["{name} {work}."],
    "sports_persona": [
        "{name} stays active by {activity} and cheering for the {team}.",
        "{name} roots for the {team} and keeps fit {ving} {np}s around {town}.",
        "{name} treats exercise as {adj} routine: {activity}, {ving} and the occasional {np}.",
        "For {name}, sports mean the {team} on television and {activity} on weekends.",
    ],
    "arts_persona": [
        "{name} finds creative energy in {genre} and the music of {artist}.",
        "{name} listens to {artist} while {activity}, and sketches {np}s in a {adj} notebook.",
        "{name} is drawn to {adj} murals, {genre} nights in {city} and the films of {artist}.",
        "Art for {name} means {genre}, {np}s and long afternoons {activity}.",
    ],
    "travel_persona": [
        "{name} plans {adj} getaways to {destination} and dreams of a longer trip to {destination}.",
        "{name} saves for road trips to {destination}, with detours through {town}.",
        "{name} travels {adv}, favoring {destination} over {destination} and cheap motels over resorts.",
        "For {name}, a good trip means {destination}, a {np} and nobody in a hurry.",
    ],
    "culinary_persona": [
        "{name} cooks {dish} and {dish} for anyone who stops by.",
        "{name} is a {adj} home cook known for {dish} and {adj} {dish}.",
        "{name} learned to make {dish} from a grandparent and still improvises with {np}s.",
        "In {city}, {name} is the one who brings {dish} to every potluck.",
    ],
    "cultural_background": [
        "{first} is a {heritage}-American raised in {city}, {state}, in a {adj} family.",
        "{first} grew up in {city}, {state}, the child of {adj} {heritage} parents.",
        "Born and raised around {city}, {state}, {first} comes from a {adj}, {heritage}-rooted family.",
        "{first}'s {heritage} roots run through {city}, {state}, where {his} family settled long ago.",
    ],
    "skills_and_expertise": [
        "{first} is {adj} at {activity} and has a {adj} command of {tool}.",
        "{first} has built {adj} skills in {tool}, {tool} and {activity}.",
        "Over the years {first} became the {adj} expert on {np}s and {tool}.",
        "{first}'s strengths are {adj} {noun} work, {tool} and {activity}.",
    ],
    "hobbies_and_interests": [
        "In {his} free time {first} enjoys {activity} and {activity}.",
        "{first} fills weekends with {activity}, {np}s and {genre}.",
        "Away from obligations, {first} turns to {activity} and {ving} {np}s.",
        "{first}'s hobbies run from {activity} to {adj} evenings of {genre}.",
    ],
    "career_goals_and_ambitions": [
        "{He} aims to {goal} within the next few years.",
        "{first} wants to {goal}, step by {adj} step.",
        "Looking ahead, {first} hopes to {goal} and to {goal}.",
        "{first}'s next goal is to {goal} while staying near {city}.",
    ],
}
_SENTENCES = {
    "persona": [
        "{He} keeps a {adj} {noun} and a {adj} habit of {activity}.",
        "Friends describe {him} as {adj} but {adj}, with a soft spot for {genre}.",
        "{family}",
    ],
    "professional_persona": [
        "At work {he} is known for {adj} {tool} skills and a {adj} approach to every {noun}.",
        "{He} {does} the {noun} {adv} and never lets a deadline slip.",
        "Colleagues in {city} rely on {his} {adj} judgment when things get busy.",
        "{He} is {adv} working toward {goal}.",
    ],
    "sports_persona": [
        "{He} never misses a {team} game and {adv} plays pickup games at the {noun} in {city}.",
        "Weekends often mean {activity} or a long walk around {destination}.",
        "{He} keeps fit by {activity}, with a {adj} competitive streak.",
    ],
    "arts_persona": [
        "{He} {adv} visits art walks in {city} and keeps a {adj} playlist of {genre} and {genre}.",
        "{His} {adj} side shows in {activity} and in the films {he} watches twice.",
        "{He} admires {artist} and {artist} for their {adj} storytelling.",
    ],
    "travel_persona": [
        "{He} prefers {adj} road trips to {destination}, balancing costs with {his} love of {noun}s.",
        "A trip to {destination} with {his} family is still on the list.",
        "{He} packs light, plans {adv}, and always brings back something for the {noun}.",
    ],
    "culinary_persona": [
        "{His} signature {dish} comes from a {heritage} family recipe.",
        "{He} shops the farmers market in {city} for {adj} produce and {adj} spices.",
        "Dinner gatherings at {his} place feature {dish}, {dish} and plenty of {genre}.",
    ],
    "cultural_background": [
        "{His} {adj} upbringing in {city} emphasized {value}, {value} and {value}.",
        "{He} grew up with traditions like Sunday meals of {dish} and {adj} holidays at the {noun}.",
        "{family}",
        "{He} values {state}'s love of {activity}, local {noun}s and {adj} living.",
        "Stories of {his} {heritage} grandparents shaped {his} {adj} outlook.",
    ],
    "skills_and_expertise": [
        "{He} has become {adv} proficient in {activity}, {activity} and keeping the {noun} organized.",
        "{His} {adj} work style lets {him} handle {tool} and {tool} under pressure.",
        "Years as a {occ} taught {him} {adj} problem solving and {adj} communication.",
        "{He} is the person people in {city} call for help with {activity}.",
    ],
    "hobbies_and_interests": [
        "{He} spends weekends {activity} and {activity} with friends.",
        "{He} also reads {adj} books about {noun}s, follows the {team}, and listens to {genre}.",
        "Evenings are for {activity}, {adj} puzzles and calls with family in {city}.",
        "Now and then {he} tries {activity} or a class at the {noun}.",
    ],
    "career_goals_and_ambitions": [
        "To get there {he} plans to {goal} and to {goal}.",
        "{He} hopes to stay close to {city} and to {goal} before {he} turns sixty.",
        "Long term, {he} wants to {goal} and to mentor younger people in the {noun}.",
        "{family}",
    ],
}
_GOALS = [
    f"{verb} {thing}"
    for verb, thing in product(
        "open earn finish start build lead save for launch complete join".split(),
        "a small family-style diner|a community college certificate|a supervisor role|a house with a yard|"
        "a neighborhood nonprofit|a certification in project management|a woodworking business|a degree in "
        "nursing|the union's apprenticeship program|a food truck|a catering side business|a master's "
        "degree".split("|"),
    )
]

_NUMBERS = [str(number) for number in range(2, 61)]
_YEARS = [str(year) for year in range(1965, 2025)]
_BANKS = {
    "num": _NUMBERS, "year": _YEARS,
    "adj": _ALL_ADJECTIVES, "noun": _ALL_NOUNS, "vs": _VERBS_THIRD, "ving": _VERBS_ING, "verb": _MORE_VERBS,
    "Ving": _VERBS_ING_CAPITALIZED, "does": _VERBS, "adv": _ADVERBS, "activity": _ACTIVITIES,
    "destination": _DESTINATIONS, "team": _TEAMS, "genre": _GENRES, "artist": _ARTISTS, "dish": _DISHES,
    "heritage": _HERITAGES, "value": _VALUES, "tool": _TOOLS, "goal": _GOALS,
}  # fmt: skip
_SLOT = re.compile(r"\{(\w+)\}")
SENTENCE_HALF = 50  # half a sentence's length: a narrative stops where its target falls nearest


def _parse(template: str) -> tuple[list[str], list[str]]:
    """A template's literal pieces and the slot names between them (len(literals) == len(slots) + 1)."""
    pieces = _SLOT.split(template)
    return pieces[0::2], pieces[1::2]


def _draw(rng: np.random.Generator, bank: list[str], n: int) -> np.ndarray:
    index = (len(bank) * rng.random(n)).astype(int)
    return np.array(bank, dtype=object)[index]


def _render(templates: list[str], choice: np.ndarray, context: dict[str, np.ndarray], rng) -> pa.Array:
    """One sentence per row: templates[choice[row]] with every slot filled for that row."""
    parsed = [_parse(t) for t in templates]
    width = max(len(slots) for _, slots in parsed)
    parts = []
    for j in range(width + 1):
        literal = np.array([lits[j] if j < len(lits) else "" for lits, _ in parsed], dtype=object)
        parts.append(pa.array(literal[choice], pa.string()))
        if j == width:
            break
        names = np.array([slots[j] if j < len(slots) else "" for _, slots in parsed], dtype=object)[choice]
        values = np.full(len(choice), "", dtype=object)
        for name in sorted(set(names) - {""}):  # sorted: set order changes between processes
            rows = names == name
            count = int(rows.sum())
            if name in context:
                values[rows] = context[name][rows]
            elif name == "np":  # a noun phrase: adjective and noun
                values[rows] = _draw(rng, _ALL_ADJECTIVES, count) + " " + _draw(rng, _THINGS, count)
            else:
                values[rows] = _draw(rng, _BANKS[name], count)
        parts.append(pa.array(values, pa.string()))
    return pc.binary_join_element_wise(*parts, "")


# What a professional narrative says about work: the job for people in the workforce; for the others a
# status, as real narratives give one (retired, studying, caregiving, between jobs ...), or at times none.
_WORK = {
    "working": [
        "works as a {occ} in {city}, where {his} {adj} habits keep the {noun} running",
        "has spent years as a {occ}, bringing a {adj}, {adj} approach to every {noun}",
        "is a {occ} whose {adj} command of {tool} makes {him} the go-to person on every shift",
    ],
    "retired": [
        "is retired after decades of steady work and still {does} the {noun} {adv}",
        "no longer works, and fills retirement with {activity} and volunteering at the {noun}",
    ],
    "student": ["is a full-time student who works part-time shifts between classes"],
    "home": [
        "is a stay-at-home parent who {does} the household {adv}",
        "is between jobs and {adv} sharpening {his} skills in {tool}",
        "is a family caregiver for an aging parent in {city}",
        "spends {his} days at home, {activity} and keeping the {noun} in order",
    ],
    "no_occupation": [
        "picks up odd jobs around {city} and {adv} looks for steady work",
        "is looking for work that fits {his} {adj} temperament",
    ],
}
_FAMILY = {
    "married_present": ["{He} shares a home in {city} with {his} {spouse} and their kids.",
                        "{He} and {his} {spouse} have been married for years and host family dinners often."],
    "separated": ["{He} is separated and rebuilding a routine around {his} kids and friends."],
    "divorced": ["Since {his} divorce, {he} has leaned on close friends and a {adj} routine.",
                 "{He} is divorced and proud of the {adj} life {he} has built in {city}."],
    "widowed": ["{He} lost {his} {spouse} a few years ago and treasures their shared memories.",
                "Widowed, {he} stays close to {his} children and {his} church in {city}."],
    "never_married": ["{He} is single and close to {his} siblings and cousins.",
                      "{He} has never married and enjoys an independent life in {city}."],
}  # fmt: skip
PRONOUNS = {
    "Male": {"He": "He", "he": "he", "his": "his", "His": "His", "him": "him", "spouse": "wife"},
    "Female": {"He": "She", "he": "she", "his": "her", "His": "Her", "him": "her", "spouse": "husband"},
}


def _pick(rng: np.random.Generator, groups: dict[str, list[str]], keys: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Every group's templates in one list, and for each row a template of its own group."""
    templates, offsets = [], {}
    for key, group in groups.items():
        offsets[key] = (len(templates), len(group))
        templates += group
    start = np.array([offsets[k][0] for k in keys])
    size = np.array([offsets[k][1] for k in keys])
    return templates, start + (rng.random(len(keys)) * size).astype(int)


def persona_context(
    rng: np.random.Generator, first: np.ndarray, last: np.ndarray, sex: np.ndarray, age: np.ndarray,
    marital: np.ndarray, occupation: np.ndarray, city: np.ndarray, state_name: np.ndarray, town: np.ndarray,
) -> dict[str, np.ndarray]:  # fmt: skip
    """What a row's narratives refer to: its name, pronouns, place, job or work status, and family."""
    context = {
        "name": first + " " + last,
        "first": first,
        "city": city,
        "town": town,
        "state": state_name,
        "occ": np.char.replace(occupation.astype(str), "_", " ").astype(object),
    }
    for key in PRONOUNS["Male"]:
        context[key] = np.where(sex == "Male", PRONOUNS["Male"][key], PRONOUNS["Female"][key]).astype(object)
    status = np.where(occupation == "no_occupation", "no_occupation", "working").astype(object)
    out = occupation == "not_in_workforce"
    status[out] = np.where(age[out] >= 62, "retired", np.where(age[out] <= 22, "student", "home"))
    # the job a narrative names: the occupation, or what someone outside the workforce is
    shown = {"retired": "retiree", "student": "student", "home": "homemaker", "no_occupation": "job seeker"}
    for key, words in shown.items():
        context["occ"][status == key] = words
    templates, choice = _pick(rng, _WORK, status)
    context["work"] = _render(templates, choice, context, rng).to_numpy(zero_copy_only=False)
    templates, choice = _pick(rng, _FAMILY, marital)
    context["family"] = _render(templates, choice, context, rng).to_numpy(zero_copy_only=False)
    return context


def narratives(rng: np.random.Generator, context: dict[str, np.ndarray]) -> dict[str, pa.Array]:
    """The ten narrative columns for the rows described by `context` (name, pronouns, city, state, occ,
    work, family: one value per row)."""
    n = len(context["name"])
    columns = {}
    for column, (mean, spread) in COLUMN_LENGTHS.items():
        target = np.clip(rng.normal(mean, spread, n), mean * 0.4, mean * 2.2)
        openers = _OPENERS[column]
        sentences = [_render(openers, rng.integers(0, len(openers), n), context, rng)]
        if column == "cultural_background":  # where the real rows tell of family
            sentences.append(pc.binary_join_element_wise(" ", pa.array(context["family"], pa.string()), ""))
        length = (
            pc.utf8_length(pc.binary_join_element_wise(*sentences, "")).to_numpy(zero_copy_only=False).astype(float)
        )
        pool = _SENTENCES[column] + _GENERAL
        while (length + SENTENCE_HALF < target).any():
            choice = rng.integers(0, len(pool), n)
            sentence = _render(pool, choice, context, rng)
            tail = pa.array(_draw(rng, _TAILS, n), pa.string())
            sentence = pc.binary_join_element_wise(pc.utf8_slice_codeunits(sentence, 0, -1), tail, ".", "")
            wanted = length + SENTENCE_HALF < target
            sentences.append(pc.if_else(pa.array(wanted), pc.binary_join_element_wise(" ", sentence, ""), ""))
            length += np.where(wanted, pc.utf8_length(sentence).to_numpy(zero_copy_only=False) + 1, 0)
        text = pc.binary_join_element_wise(*sentences, "")
        columns[column] = pc.replace_substring_regex(text, r"\b([Aa]) ([aeiouAEIOU])", r"\1n \2")  # a -> an
    return columns
