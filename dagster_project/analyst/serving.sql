-- What analysts use to pick personas, created in every serving file by the publish (after the marts are
-- copied, with the serving file as the default catalog). Plain DuckDB SQL - table macros and views - so
-- a BI tool or the DuckDB CLI uses them without Python, and `python -m dagster_project.analyst` calls the
-- same macro. Skills and hobbies are matched on their normalised keys (marts.dim_skill.skill_key,
-- marts.dim_hobby.hobby_key); text is matched case-insensitively, as a substring, in the ten narrative
-- columns; every argument is optional and the criteria combine with AND.

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

    select
        persona.*,
        occupation.occupation_group,
        -- how often the text occurs across the narratives: the rank of a text search
        case
            when text is null then 0
            else (
                length(lower(persona.persona)) - length(replace(lower(persona.persona), lower(text), ''))
                + length(lower(persona.professional_persona))
                - length(replace(lower(persona.professional_persona), lower(text), ''))
                + length(lower(persona.sports_persona)) - length(replace(lower(persona.sports_persona), lower(text), ''))
                + length(lower(persona.arts_persona)) - length(replace(lower(persona.arts_persona), lower(text), ''))
                + length(lower(persona.travel_persona)) - length(replace(lower(persona.travel_persona), lower(text), ''))
                + length(lower(persona.culinary_persona))
                - length(replace(lower(persona.culinary_persona), lower(text), ''))
                + length(lower(persona.cultural_background))
                - length(replace(lower(persona.cultural_background), lower(text), ''))
                + length(lower(persona.skills_and_expertise))
                - length(replace(lower(persona.skills_and_expertise), lower(text), ''))
                + length(lower(persona.hobbies_and_interests))
                - length(replace(lower(persona.hobbies_and_interests), lower(text), ''))
                + length(lower(persona.career_goals_and_ambitions))
                - length(replace(lower(persona.career_goals_and_ambitions), lower(text), ''))
            ) // length(lower(text))
        end as text_matches
    from marts.dim_persona as persona
    left join marts.dim_occupation as occupation on persona.occupation = occupation.occupation
    where
        (min_age is null or persona.age >= min_age)
        and (max_age is null or persona.age <= max_age)
        and (sexes is null or list_contains(sexes::varchar [], persona.sex))
        and (marital_statuses is null or list_contains(marital_statuses::varchar [], persona.marital_status))
        and (education_levels is null or list_contains(education_levels::varchar [], persona.education_level))
        and (bachelors_fields is null or list_contains(bachelors_fields::varchar [], persona.bachelors_field))
        and (states is null or list_contains(states::varchar [], persona.state))
        and (occupations is null or list_contains(occupations::varchar [], persona.occupation))
        and (occupation_groups is null or list_contains(occupation_groups::varchar [], occupation.occupation_group))
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

)

select * from matched
where text is null or text_matches > 0
union all
-- min_age > max_age is a mistake, not an empty segment: say so (this branch never returns a row)
select matched.* from (select 1) as guard left join matched on false
where if(min_age > max_age, error('search_personas: min_age ' || min_age || ' is greater than max_age ' || max_age), false)
order by text_matches desc, persona_id;

comment on macro table marts.search_personas is 'Personas matching every criterion given (all optional): min_age, max_age; lists sexes, marital_statuses, education_levels, bachelors_fields, states, occupations, occupation_groups (marts.dim_occupation), cities (any case), zipcodes; skills_any/skills_all and hobbies_any/hobbies_all (normalised keys of marts.dim_skill / marts.dim_hobby); text (a word or phrase, any case, in the ten narrative columns; text_matches counts its occurrences and ranks the result). Example: FROM marts.search_personas(min_age := 30, max_age := 39, sexes := [''Female''], occupation_groups := [''computer and mathematical''])';

create or replace view marts.persona_cards as
with skills as (
    select persona_id, list(skill_text order by skill_position) as skills
    from marts.bridge_persona_skill
    group by persona_id
),

hobbies as (
    select persona_id, list(hobby_text order by hobby_position) as hobbies
    from marts.bridge_persona_hobby
    group by persona_id
)

select
    persona.persona_id,
    persona.age,
    persona.age_band,
    persona.sex,
    persona.marital_status,
    persona.education_level,
    persona.bachelors_field,
    persona.occupation,
    occupation.occupation_group,
    persona.city,
    persona.state,
    persona.zipcode,
    persona.persona,
    persona.professional_persona,
    persona.sports_persona,
    persona.arts_persona,
    persona.travel_persona,
    persona.culinary_persona,
    persona.cultural_background,
    persona.skills_and_expertise,
    persona.hobbies_and_interests,
    persona.career_goals_and_ambitions,
    coalesce(skills.skills, []) as skills,
    coalesce(hobbies.hobbies, []) as hobbies
from marts.dim_persona as persona
left join marts.dim_occupation as occupation on persona.occupation = occupation.occupation
left join skills on persona.persona_id = skills.persona_id
left join hobbies on persona.persona_id = hobbies.persona_id;

comment on view marts.persona_cards is 'One card per persona, ready for a prompt: demographics, occupation group, the ten narratives, and the skills and hobbies lists in their published order.';
