"""Word banks for generated personas: occupations, skills, hobbies, names and narrative sentences.

Vocabularies are composed from parts so that they hold hundreds of items; the
generator draws from them with long-tailed (Zipf-like) popularity. Text uses the
real data's non-ASCII punctuation (U+2011, U+2019, U+2014).
"""

from __future__ import annotations

# (occupation, minimum education tier, relative weight). Tiers: 0 any, 1 some
# college or associate's, 2 bachelor's or graduate, 3 graduate only.
OCCUPATIONS: tuple[tuple[str, int, float], ...] = (
    ("retail_salesperson", 0, 30), ("cashier", 0, 28), ("driver", 0, 26), ("laborer_or_freight_mover", 0, 20),
    ("fast_food_or_counter_worker", 0, 18), ("janitor_or_building_cleaner", 0, 16), ("cook", 0, 16),
    ("waiter_or_waitress", 0, 12), ("construction_laborer", 0, 12), ("stocker_or_order_filler", 0, 12),
    ("home_health_or_personal_care_aide", 0, 14), ("maid_or_housekeeping_cleaner", 0, 8), ("carpenter", 0, 8),
    ("landscaping_or_groundskeeping_worker", 0, 8), ("security_guard", 0, 6), ("childcare_worker", 0, 7),
    ("automotive_service_technician", 0, 7), ("electrician", 0, 7), ("welder", 0, 4), ("painter", 0, 3),
    ("farmworker_or_laborer", 0, 5), ("assembler_or_fabricator", 0, 8), ("hairdresser_or_cosmetologist", 0, 5),
    ("customer_service_representative", 0, 18), ("first_line_supervisor_of_retail_workers", 0, 10),
    ("office_clerk", 0, 12), ("receptionist", 0, 8), ("secretary_or_administrative_assistant", 0, 14),
    ("bookkeeping_or_auditing_clerk", 1, 8), ("nursing_assistant", 1, 9), ("medical_assistant", 1, 6),
    ("licensed_practical_nurse", 1, 5), ("police_officer", 1, 5), ("firefighter", 1, 2),
    ("sales_representative", 1, 10), ("insurance_sales_agent", 1, 4), ("real_estate_agent", 1, 4),
    ("computer_support_specialist", 1, 5), ("dental_hygienist", 1, 2), ("radiologic_technician", 1, 2),
    ("paralegal_or_legal_assistant", 1, 3), ("plumber_or_pipefitter", 0, 5), ("heavy_truck_driver", 0, 12),
    ("manager", 2, 30), ("registered_nurse", 2, 16), ("elementary_or_middle_school_teacher", 2, 14),
    ("accountant_or_auditor", 2, 10), ("software_developer", 2, 12), ("financial_manager", 2, 6),
    ("secondary_school_teacher", 2, 7), ("management_analyst", 2, 5), ("marketing_manager", 2, 4),
    ("civil_engineer", 2, 3), ("mechanical_engineer", 2, 3), ("electrical_engineer", 2, 2),
    ("computer_systems_analyst", 2, 4), ("human_resources_specialist", 2, 5), ("social_worker", 2, 5),
    ("graphic_designer", 2, 2), ("market_research_analyst", 2, 3), ("project_management_specialist", 2, 6),
    ("clergy", 2, 2), ("pharmacist", 3, 2), ("physician", 3, 4), ("lawyer", 3, 5),
    ("postsecondary_teacher", 3, 6), ("computer_or_information_research_scientist", 3, 1),
    ("psychologist", 3, 1), ("physical_therapist", 3, 2), ("dentist", 3, 1), ("veterinarian", 3, 1),
    ("chief_executive", 2, 2), ("education_administrator", 3, 3), ("medical_scientist", 3, 1),
)  # fmt: skip

_SKILL_AREAS = (
    "project", "budget", "inventory", "customer", "data", "team", "time", "risk", "vendor", "quality",
    "patient", "cash", "sales", "safety", "supply chain", "event", "content", "community", "contract",
    "equipment", "process", "staff", "client", "network", "financial", "change", "crisis", "records",
    "product", "workflow", "conflict", "grant", "campaign", "schedule", "facility", "policy",
)  # fmt: skip
_SKILL_ACTIONS = (
    "management", "planning", "analysis", "coordination", "reporting", "handling", "tracking",
    "communication", "optimization", "maintenance", "training", "documentation", "forecasting",
)  # fmt: skip
_SKILL_STANDALONE = (
    "Python", "SQL", "Microsoft Excel", "Public speaking", "Negotiation", "Active listening", "Welding",
    "Forklift operation", "POS system operation", "First aid and CPR", "Bilingual communication (Spanish)",
    "Machine Learning", "Statistical Modeling", "Cloud Computing (AWS/GCP)", "Carpentry", "Food safety",
    "Bookkeeping", "Phlebotomy", "Lesson planning", "Classroom management", "Blueprint reading",
    "Driver's license (CDL)", "Children's literacy coaching", "Customer's needs assessment",
    "Problem‑solving", "Detail‑oriented organization", "Multi‑tasking", "Patient‑centered care",
    "De‑escalation techniques", "Tenant relations", "Grant writing", "HVAC repair", "Small‑engine repair",
)  # fmt: skip

_HOBBY_ACTIVITIES = (
    "Hiking", "Gardening", "Fishing", "Cooking", "Baking", "Reading", "Painting", "Photography",
    "Birdwatching", "Knitting", "Woodworking", "Cycling", "Running", "Yoga", "Camping", "Bowling",
    "Quilting", "Journaling", "Volunteering", "Board games", "Crossword puzzles", "Line dancing",
    "Kayaking", "Golf", "Swimming", "Chess", "Podcasts", "Live music", "Church choir", "Pickleball",
)  # fmt: skip
_HOBBY_QUALIFIERS = (
    "", " with family", " on weekends", " (local club)", " with friends", " at the community center",
    " in state parks", " — casual", " challenges",
)  # fmt: skip
_HOBBY_STANDALONE = (
    "Watching the Green Bay Packers", "Farmers' market visits", "Grandkids' soccer games",
    "Cooking Colombian Dishes", "Reading \"Dune\" and Tolkien's books", "Sunday family dinners",
    "Salsa dancing", "True‑crime documentaries", "DIY home improvement", "Thrift‑store hunting",
    "Collecting vinyl records", "Restoring classic cars", "Mahjong nights", "Backyard barbecues",
)  # fmt: skip


def skill_vocabulary() -> list[str]:
    composed = [f"{area.capitalize()} {action}" for area in _SKILL_AREAS for action in _SKILL_ACTIONS]
    return [*_SKILL_STANDALONE, *composed]


def hobby_vocabulary() -> list[str]:
    composed = [f"{activity}{qualifier}" for qualifier in _HOBBY_QUALIFIERS for activity in _HOBBY_ACTIVITIES]
    return [*_HOBBY_STANDALONE, *composed]


FIRST_NAMES = {
    "Male": ("James", "Julio", "Michael", "Robert", "David", "Carlos", "Wei", "Jamal", "Anthony", "Kevin",
             "Luis", "Daniel", "Thomas", "Brian", "Nguyen", "Tyrone", "Patrick", "Ahmed", "José", "Ethan",
             "William", "Joseph", "Christopher", "Matthew", "Andrew", "Joshua", "Ryan", "Brandon", "Justin",
             "Marcus", "Terrence", "Raúl", "Miguel", "Hiroshi", "Sanjay", "Omar", "Dmitri", "Kwame", "Liam",
             "Noah", "Elijah", "Mateo", "Dwayne", "Gerald", "Harold", "Walter", "Eugene", "Rafael", "Tuan", "Jin"),
    "Female": ("Mary", "Alicia", "Maria", "Deeva", "Jennifer", "Linda", "Aisha", "Mei", "Patricia", "Emily",
               "Rosa", "Keisha", "Sarah", "Ngozi", "Priya", "Chloé", "Ashley", "Guadalupe", "Hannah", "Zoë",
               "Elizabeth", "Barbara", "Susan", "Jessica", "Karen", "Nancy", "Lisa", "Betty", "Sandra", "Donna",
               "Carmen", "Lucía", "Yolanda", "Tamika", "Latoya", "Hyun-joo", "Anh", "Fatima", "Svetlana",
               "Olivia", "Emma", "Sofia", "Isabella", "Dorothy", "Gloria", "Ruth", "Marisol", "Leilani", "Ayesha",
               "Imani"),
}  # fmt: skip
LAST_NAMES = (
    "Alberti", "Gonzalez", "Simmons", "Buendia", "Cintron", "Smith", "Johnson", "Williams", "Brown",
    "Nguyen", "Garcia", "Patel", "Kim", "O’Brien", "Washington", "Martinez", "Anderson", "Schmidt",
    "Okafor", "Cohen", "Hernández", "Yamamoto", "Kowalski", "Thompson", "Rivera", "Chen",
    "Jones", "Miller", "Davis", "Rodriguez", "Wilson", "Moore", "Taylor", "Jackson", "White", "Harris",
    "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Hill",
    "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Campbell", "Mitchell", "Carter", "Roberts",
    "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart",
    "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Peterson", "Cooper", "Reed", "Bailey", "Bell", "Gomez",
    "Kelly", "Howard", "Ward", "Cox", "Ramirez", "Brooks", "Sanders", "Price", "Bennett", "Wood", "Barnes",
    "Ross", "Henderson", "Coleman", "Jenkins", "Perry", "Powell", "Long", "Patterson", "Hughes", "Flynn",
    "Nakamura", "Tanaka", "Singh", "Shah", "Ali", "Haddad", "Novak", "Horvath", "Jensen", "Larsen",
    "Begay", "Yazzie", "Tsosie", "Kahananui", "Baptiste", "Pierre", "Dubois", "Santos", "Silva", "Oliveira",
)  # fmt: skip
