-- What analysts use to pick personas, created in every serving file by the publish (after the marts are
-- copied, with the serving file as the default catalog). Plain DuckDB SQL - table macros and views - so
-- a BI tool or the DuckDB CLI uses them without Python, and `python -m dagster_project.analyst` calls the
-- same macro. Skills and hobbies are matched on their normalised keys (marts.dim_skill.skill_key,
-- marts.dim_hobby.hobby_key); text is matched literally, in any case (Unicode case folding), in the ten
-- narrative columns; every argument is optional and the criteria combine with AND.

create or replace macro marts.search_personas(
    min_age := null,
    max_age := null,
    sexes := null,
    marital_statuses := null,
    education_levels := null,
    bachelors_fields := null,
    states := null,
    occupations := null,
    occupation_groups := null,
    cities := null,
    zipcodes := null,
    skills_any := null,
    skills_all := null,
    hobbies_any := null,
    hobbies_all := null,
    text := null
) as table
with matched as (

    select persona.*
    from marts.dim_persona as persona
    where
        (min_age is null or persona.age >= min_age)
        and (max_age is null or persona.age <= max_age)
        and (sexes is null or list_contains(sexes::varchar [], persona.sex))
        and (marital_statuses is null or list_contains(marital_statuses::varchar [], persona.marital_status))
        and (education_levels is null or list_contains(education_levels::varchar [], persona.education_level))
        and (bachelors_fields is null or list_contains(bachelors_fields::varchar [], persona.bachelors_field))
        and (states is null or list_contains(states::varchar [], persona.state))
        and (occupations is null or list_contains(occupations::varchar [], persona.occupation))
        and (occupation_groups is null or list_contains(occupation_groups::varchar [], persona.occupation_group))
        and (cities is null or list_contains(list_transform(cities::varchar [], c -> lower(c)), lower(persona.city)))
        and (zipcodes is null or list_contains(zipcodes::varchar [], persona.zipcode))
        and (skills_any is null or persona.persona_id in (
            select persona_id from marts.bridge_persona_skill where list_contains(skills_any::varchar [], skill_key)
        ))
        and (skills_all is null or persona.persona_id in (
            select persona_id from marts.bridge_persona_skill
            where list_contains(skills_all::varchar [], skill_key)
            group by persona_id
            having count(distinct skill_key) = len(list_distinct(skills_all::varchar []))
        ))
        and (hobbies_any is null or persona.persona_id in (
            select persona_id from marts.bridge_persona_hobby where list_contains(hobbies_any::varchar [], hobby_key)
        ))
        and (hobbies_all is null or persona.persona_id in (
            select persona_id from marts.bridge_persona_hobby
            where list_contains(hobbies_all::varchar [], hobby_key)
            group by persona_id
            having count(distinct hobby_key) = len(list_distinct(hobbies_all::varchar []))
        ))
        and (text is null or (
            regexp_matches(persona.persona, '(?i)' || regexp_escape(text))
            or regexp_matches(persona.professional_persona, '(?i)' || regexp_escape(text))
            or regexp_matches(persona.sports_persona, '(?i)' || regexp_escape(text))
            or regexp_matches(persona.arts_persona, '(?i)' || regexp_escape(text))
            or regexp_matches(persona.travel_persona, '(?i)' || regexp_escape(text))
            or regexp_matches(persona.culinary_persona, '(?i)' || regexp_escape(text))
            or regexp_matches(persona.cultural_background, '(?i)' || regexp_escape(text))
            or regexp_matches(persona.skills_and_expertise, '(?i)' || regexp_escape(text))
            or regexp_matches(persona.hobbies_and_interests, '(?i)' || regexp_escape(text))
            or regexp_matches(persona.career_goals_and_ambitions, '(?i)' || regexp_escape(text))
        ))

)

-- The narratives stay out of the result: fetching them for every row that passes the scan's filters costs
-- seconds at 1M personas; marts.persona_cards has them (join on persona_id).
select
    * exclude (
            persona, professional_persona, sports_persona, arts_persona, travel_persona, culinary_persona,
            cultural_background, skills_and_expertise, hobbies_and_interests, career_goals_and_ambitions
    ),
    -- the text's occurrences across the narratives (any case): the rank of a text search
    case
        when text is null then 0
        else
            len(regexp_extract_all(persona, '(?i)' || regexp_escape(text)))
            + len(regexp_extract_all(professional_persona, '(?i)' || regexp_escape(text)))
            + len(regexp_extract_all(sports_persona, '(?i)' || regexp_escape(text)))
            + len(regexp_extract_all(arts_persona, '(?i)' || regexp_escape(text)))
            + len(regexp_extract_all(travel_persona, '(?i)' || regexp_escape(text)))
            + len(regexp_extract_all(culinary_persona, '(?i)' || regexp_escape(text)))
            + len(regexp_extract_all(cultural_background, '(?i)' || regexp_escape(text)))
            + len(regexp_extract_all(skills_and_expertise, '(?i)' || regexp_escape(text)))
            + len(regexp_extract_all(hobbies_and_interests, '(?i)' || regexp_escape(text)))
            + len(regexp_extract_all(career_goals_and_ambitions, '(?i)' || regexp_escape(text)))
    end as text_matches
from matched
union all
-- min_age > max_age is a mistake, not an empty segment: say so (this branch never returns a row; it reads
-- dim_persona, not `matched`, so that `matched` is inlined rather than materialized with its narratives)
select
    persona.* exclude (
            persona, professional_persona, sports_persona, arts_persona, travel_persona, culinary_persona,
            cultural_background, skills_and_expertise, hobbies_and_interests, career_goals_and_ambitions
    ),
    null::bigint as text_matches
from marts.dim_persona as persona
where if(min_age > max_age, error('search_personas: min_age ' || min_age || ' is greater than max_age ' || max_age), false)
order by text_matches desc, persona_id;

comment on macro table marts.search_personas is 'Personas matching every criterion given (all optional): min_age, max_age; lists sexes, marital_statuses, education_levels, bachelors_fields, states, occupations, occupation_groups (marts.dim_occupation), cities (any case), zipcodes; skills_any/skills_all and hobbies_any/hobbies_all (normalised keys of marts.dim_skill / marts.dim_hobby); text (a word or phrase, any case, in the ten narrative columns; text_matches counts its occurrences and ranks the result). The narratives are in marts.persona_cards (join on persona_id). Example: FROM marts.search_personas(min_age := 30, max_age := 39, sexes := [''Female''], occupation_groups := [''computer and mathematical''])';

create or replace view marts.persona_cards as
select
    persona_id,
    age,
    age_band,
    sex,
    marital_status,
    education_level,
    bachelors_field,
    occupation,
    occupation_group,
    city,
    state,
    zipcode,
    persona,
    professional_persona,
    sports_persona,
    arts_persona,
    travel_persona,
    culinary_persona,
    cultural_background,
    skills_and_expertise,
    hobbies_and_interests,
    career_goals_and_ambitions,
    skills,
    hobbies
from marts.dim_persona;

comment on view marts.persona_cards is 'One card per persona, ready for a prompt: demographics, occupation group, the ten narratives, and the skills and hobbies lists in their published order. Join it to marts.search_personas on persona_id for the narratives of a search.';
