{#- The consistency the dataset promises, each rule as a measured rate: how many personas in the
    rule's universe it flags. Rules with a threshold are checked by the persona_consistency suite;
    rules without one are reported only. Thresholds are explained in the `threshold_reason` column. -#}

with personas as (

    select
        *,
        concat_ws(
            ' ', persona, professional_persona, sports_persona, arts_persona, travel_persona,
            culinary_persona, cultural_background
        ) as narratives
    from {{ ref('dim_persona') }}

),

occupations as (

    select * from {{ ref('ref_occupation_entry_education') }}

),

zipcodes as (

    select * from {{ ref('stg_zipcodes__zipcodes') }}

),

states as (

    select
        usps,
        name
    from {{ ref('ref_census_states') }}

),

-- materialized: every rule below reads it, and the narratives are scanned once, not once per rule
checked as materialized (

    select
        personas.age,
        personas.marital_status,
        personas.education_level,
        personas.has_bachelors_or_higher,
        personas.bachelors_field,
        personas.occupation,
        personas.state,
        occupations.bls_typical_entry_education,
        zipcodes.zipcode is not null as zipcode_known,
        zipcodes.state as zipcode_state,
        lower(trim(regexp_replace(personas.city, '\s+', ' ', 'g'))) = zipcodes.city_key
        or list_contains(zipcodes.acceptable_city_keys, lower(trim(regexp_replace(personas.city, '\s+', ' ', 'g'))))
            as city_matches_zipcode,
        contains(personas.narratives, personas.city)
        or contains(personas.narratives, coalesce(states.name, personas.state)) as narratives_name_home_place,
        regexp_matches(
            lower(personas.professional_persona),
            'retire|former|used to|no longer|stay.at.home|homemaker|student|unemployed|between jobs'
            || '|disab|caregiv|volunteer|part.time'
        ) as professional_narrative_has_work_status
    from personas
    left join occupations on personas.occupation = occupations.occupation
    left join zipcodes on personas.zipcode = zipcodes.zipcode
    left join states on personas.state = states.usps

),

rules as (

    select
        'demographic' as rule_group,
        'widowed_under_25' as rule_name,
        'Personas aged 18-24 who are widowed.' as rule,
        count(*) filter (where age between 18 and 24) as universe_count,
        count(*) filter (where age between 18 and 24 and marital_status = 'widowed') as flagged_count,
        0.01::double as threshold,
        'ACS 2018 B12002: 0.07% of adults 18-24 are widowed; 1% (15 times that) leaves room for small samples.'
            as threshold_reason
    from checked
    union all
    select
        'demographic',
        'bachelors_field_without_degree',
        'Personas without a bachelor''s degree or higher who have a bachelors_field.',
        count(*) filter (where not has_bachelors_or_higher),
        count(*) filter (where not has_bachelors_or_higher and bachelors_field is not null),
        0.0,
        'A field of degree needs a degree; the staging suite already blocks on any such row.'
    from checked
    union all
    select
        'demographic',
        'in_workforce_85_plus',
        'Personas aged 85+ with an occupation other than not_in_workforce.',
        count(*) filter (where age >= 85),
        count(*) filter (where age >= 85 and occupation <> 'not_in_workforce'),
        0.0,
        'The generating model puts everyone 85+ out of the workforce.'
    from checked
    union all
    select
        'occupation_education',
        'professional_degree_occupation_without_degree',
        'Personas in an occupation whose BLS typical entry education is a doctoral or professional degree '
        || '(physician, lawyer, dentist, postsecondary teacher ...) without a bachelor''s degree or higher.',
        count(*) filter (where bls_typical_entry_education = 'doctoral_or_professional'),
        count(*) filter (
            where bls_typical_entry_education = 'doctoral_or_professional' and not has_bachelors_or_higher
        ),
        0.01,
        'These jobs require a degree by licence or hiring practice; 1% allows for a few odd records.'
    from checked
    union all
    select
        'occupation_education',
        'graduate_entry_occupation_without_graduate_degree',
        'Personas in an occupation whose BLS typical entry education is a graduate degree without one.',
        count(*) filter (where bls_typical_entry_education in ('doctoral_or_professional', 'masters')),
        count(*) filter (
            where bls_typical_entry_education in ('doctoral_or_professional', 'masters')
            and education_level <> 'graduate'
        ),
        null,
        null
    from checked
    union all
    select
        'occupation_education',
        'bachelors_entry_occupation_without_degree',
        'Personas in an occupation whose BLS typical entry education is a bachelor''s degree without one.',
        count(*) filter (where bls_typical_entry_education = 'bachelors'),
        count(*) filter (where bls_typical_entry_education = 'bachelors' and not has_bachelors_or_higher),
        null,
        null
    from checked
    union all
    select
        'geography',
        'zipcode_unknown',
        'Personas whose zipcode is not a US ZIP code (zipcodes package).',
        count(*),
        count(*) filter (where not zipcode_known),
        0.01,
        'The dataset draws ZIP codes from real ones; 1% allows for ZIP codes retired since.'
    from checked
    union all
    select
        'geography',
        'zipcode_in_another_state',
        'Personas with a known zipcode that belongs to another state than theirs.',
        count(*) filter (where zipcode_known),
        count(*) filter (where zipcode_known and zipcode_state <> state),
        0.01,
        'A ZIP code belongs to one state; 1% allows for the few that straddle a border.'
    from checked
    union all
    select
        'geography',
        'city_not_matching_zipcode',
        'Personas whose city is neither the USPS city of their zipcode nor one of its acceptable names.',
        count(*) filter (where zipcode_known and zipcode_state = state),
        count(*) filter (where zipcode_known and zipcode_state = state and not city_matches_zipcode),
        0.05,
        'Places inside a ZIP code (neighbourhoods, townships) may be named instead of the USPS city.'
    from checked
    union all
    select
        'persona_coherence',
        'narratives_without_home_place',
        'Personas whose narratives name neither their city nor their state.',
        count(*),
        count(*) filter (where not narratives_name_home_place),
        null,
        null
    from checked
    union all
    select
        'persona_coherence',
        'not_in_workforce_narrative_without_work_status',
        'Personas not in the workforce whose professional narrative mentions no retirement, studies, '
        || 'caregiving, volunteering or being out of work.',
        count(*) filter (where occupation = 'not_in_workforce'),
        count(*) filter (where occupation = 'not_in_workforce' and not professional_narrative_has_work_status),
        null,
        null
    from checked

)

select
    rule_group,
    rule_name,
    rule,
    universe_count,
    flagged_count,
    flagged_count / nullif(universe_count, 0) as flagged_rate,
    threshold,
    coalesce(flagged_count / nullif(universe_count, 0), 0) <= threshold as within_threshold,
    threshold_reason
from rules
