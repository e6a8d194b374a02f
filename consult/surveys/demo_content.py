"""Free-text answers for the demo survey, written for this project (all fictional).

Grouped by the kind of organization answering, so law enforcement and NGOs disagree where they
would; some answers are in Spanish, some are short, some have typos, and several repeat a
survivor-led campaign paragraph almost word for word.
"""

ROLES = {
    "law_enforcement": [
        "Detective sergeant",
        "Lieutenant, special victims",
        "Assistant state's attorney",
        "Patrol captain",
        "Investigator",
    ],
    "state_agency": [
        "Program manager",
        "Deputy commissioner",
        "Policy analyst",
        "Regional supervisor",
        "Victim services coordinator",
    ],
    "ngo": [
        "Executive director",
        "Case manager",
        "Outreach coordinator",
        "Program director",
        "Peer advocate",
        "Shelter manager",
    ],
    "legal_aid": ["Staff attorney", "Supervising attorney", "Paralegal"],
    "health": ["Nurse practitioner", "Clinic director", "Social worker"],
    "academic": ["Research director", "Postdoctoral researcher"],
    "other": ["Government affairs manager"],
}

CAMPAIGN = [
    "We join Survivors Rising in asking the legislature to fund at least 40 emergency beds for "
    "survivors of trafficking, to pass a vacatur law so that survivors are not punished for crimes "
    "they were forced to commit, and to guarantee a qualified interpreter at every step from the "
    "first police contact to court.",
    "We join Survivors Rising in asking the legislature to fund at least 40 emergency beds for "
    "survivors of trafficking, to pass a vacatur law so survivors are not punished for crimes they "
    "were forced to commit, and to guarantee a qualified interpreter at every step, from the first "
    "police contact to court.",
    "We join Survivors Rising in asking the legislature to fund at least 40 emergency beds for "
    "survivors of trafficking, pass a vacatur law so that survivors arent punished for crimes they "
    "were forced to commit, and guarantee a qualified interpreter at every step from first police "
    "contact to court. Thank you.",
    "Like Survivors Rising we ask the legislature to fund at least 40 emergency beds for survivors "
    "of trafficking, to pass a vacatur law so that survivors are not punished for crimes they were "
    "forced to commit, and to guarantee a qualified interpreter at every step from the first police "
    "contact to court.",
]

GAPS = {
    "law_enforcement": [
        "When we recover a victim at 2 a.m. there is nowhere to take them. Hotels are not safe and "
        "the shelters are full or will not take men.",
        "Victims leave before we can interview them properly because there is no place to stay and "
        "no one to explain the process in their language.",
        "Not enough trained investigators. Labor cases take months of records work.",
        "housing housing housing",
        "Forensic interviewers for minors are shared between three counties.",
    ],
    "state_agency": [
        "Youth who age out of care are the group we lose track of. Several of our trafficking "
        "referrals last year were young people who had left placement in the previous 12 months.",
        "We have no shared data: each agency counts victims differently, so nobody knows the real "
        "number in the state.",
        "Labor inspectors see warning signs on farms and in restaurants but have no clear referral "
        "path when the case is not a wage claim.",
        "Funding for victim services is year to year; programs close when a grant ends and survivors "
        "have to start over with someone new.",
        "Interpreting for less common languages (Mixteco, K'iche', Tigrinya) is almost impossible "
        "to get on short notice.",
    ],
    "ngo": [
        "Safe housing for adult men and for families. Our shelter partners can take women and "
        "children but we had eleven men last year who slept in a car or went back to the employer.",
        "Long-term case management. Survivors need someone for two or three years, our grants pay "
        "for ninety days.",
        "Mental health care from people who understand trauma and speak the language. The waiting "
        "list at the clinic is four months.",
        "Legal help with immigration status is the gap everything else depends on; without it "
        "people cannot work legally and stay in danger.",
        "Transportation! Many of our clients live far from any service and there is no bus.",
        "Services for LGBTQ youth, who are over-represented among the young people we meet and "
        "under-served everywhere.",
        "Nothing for survivors once the criminal case is closed or if there never was a case.",
    ],
    "legal_aid": [
        "There are four attorneys in the state who take T-visa cases for free. The wait is over a "
        "year.",
        "Survivors with criminal records from the time they were trafficked cannot get jobs or "
        "housing. Without vacatur there is no way out.",
        "Civil remedies for unpaid wages are almost never pursued for trafficking victims.",
    ],
    "health": [
        "Clinicians are not trained to recognize trafficking; most of our staff had never heard of "
        "the screening questions until this year.",
        "Dental and vision care, honestly. People arrive with years of untreated problems.",
        "No interpreter budget for walk-in patients.",
    ],
    "academic": [
        "Data. There is no consistent definition across agencies, and no way to follow a case from "
        "identification to outcome.",
    ],
    "other": [
        "Employers want to do the right thing but do not know who to call when a labor contractor "
        "looks suspicious.",
    ],
}

GAPS_ES = [
    "Vivienda segura y servicios en español y en lenguas indígenas. Muchas personas no hablan "
    "inglés y no confían en la policía.",
    "Falta de asesoría legal migratoria gratuita. Sin papeles, nadie se atreve a denunciar.",
    "Los trabajadores del campo no saben que lo que les pasa es trata, creen que es 'así el "
    "trabajo'. Hace falta información en los lugares de trabajo.",
    "no hay transporte para llegar a los servicios, las fincas estan lejos de todo",
    "Atención psicológica en su idioma. La lista de espera es muy larga.",
]

BARRIERS = {
    "law_enforcement": [
        "Victims often do not see themselves as victims and will not testify. Without testimony "
        "most cases end as lesser charges.",
        "NGOs sometimes discourage clients from talking to us. We need to build trust both ways.",
        "Prosecutors want corroboration we cannot get without subpoena power over labor recruiters "
        "out of state.",
        "Turnover. By the time a detective is trained they rotate out of the unit.",
    ],
    "state_agency": [
        "Confidentiality rules stop us from sharing information with partners even when it would "
        "protect the young person.",
        "Staff do not know the indicators; the online training is optional.",
    ],
    "ngo": [
        "Fear of police and of immigration enforcement. As long as contact with police can lead to "
        "detention, people will not come forward, and the answer is not more pressure to testify.",
        "Survivors are still being arrested for prostitution and then treated as defendants, not "
        "victims.",
        "Law enforcement measures success by arrests. Survivors measure it by being safe.",
        "Language. Forms, hotlines and interviews are in English.",
        "Cases go nowhere when the victim has already been deported or sent home.",
    ],
    "legal_aid": [
        "Certification for T-visas depends on which detective you get. Some never sign.",
        "Clients are afraid that cooperating will expose their families back home.",
    ],
    "health": ["Patients come once, in a crisis, and we never see them again."],
    "academic": ["No one collects outcomes, so no one can say what works."],
    "other": ["Recruiters operate from out of state and change names every season."],
}

BARRIERS_ES = [
    "El miedo a la migra. Aunque la policía diga que no pregunta por papeles, la gente no lo cree.",
    "Los patrones amenazan con denunciar a la familia si alguien habla.",
    "Las entrevistas son solo en inglés o con un intérprete que conoce al patrón.",
]

RECOMMENDATIONS = {
    "law_enforcement": [
        "Fund a statewide unit of investigators and one dedicated prosecutor for trafficking cases.",
        "Give us emergency placement beds we can call 24/7.",
        "Mandatory training for patrol officers on indicators, every two years.",
        "Tougher penalties for buyers and for labor recruiters who charge illegal fees.",
    ],
    "state_agency": [
        "Create a shared, privacy-protecting data system so agencies can count victims the same "
        "way and follow what happens to them.",
        "Make the training on indicators mandatory for child welfare, labor and health staff.",
        "Multi-year grants for victim services instead of annual ones.",
    ],
    "ngo": [
        "Pass a vacatur law, fund housing, and stop arresting survivors.",
        "Fund survivor-led organizations directly, not only through large intermediaries.",
        "Put services first and make them available whether or not the person helps the police.",
        "Language access everywhere: hotline, forms, court.",
    ],
    "legal_aid": [
        "A statute requiring agencies to decide on T-visa certification requests within 90 days.",
        "Fund free immigration legal help for survivors.",
    ],
    "health": [
        "Screening questions and a referral line in every emergency room and clinic.",
        "Pay for interpreters in community health centers.",
    ],
    "academic": [
        "Commission an independent evaluation of the task force's programs with baseline data "
        "from this survey and the 2025 wave.",
    ],
    "other": [
        "Register labor contractors and publish the list so employers can check them.",
    ],
}

RECOMMENDATIONS_ES = [
    "Que haya intérpretes en todas las etapas, información en español y en lenguas indígenas, y "
    "vivienda de emergencia para familias.",
    "Separar a la policía de migración. Si no, nadie va a denunciar.",
    "Inspecciones laborales sin aviso en las fincas durante la cosecha.",
]

STATUTE_REVISIONS = {
    "law_enforcement": [
        "The labor trafficking statute requires proof of force, fraud or coercion but 'coercion' is "
        "so narrow that debt bondage cases get charged as wage theft.",
    ],
    "ngo": [
        "A vacatur law for survivors convicted of offenses committed while trafficked. The current "
        "law only allows expungement after ten years.",
        "Define coercion to include threats about immigration status and confiscation of documents.",
        "Remove the requirement that minors prove force or coercion in sex trafficking cases. It "
        "should never apply to children.",
    ],
    "legal_aid": [
        "Vacatur, and a civil cause of action against traffickers with attorney fees.",
        "Document confiscation should be its own crime.",
    ],
    "state_agency": [
        "Align the definition of a victim in the criminal code with the child welfare code.",
    ],
    "health": ["Add health-care workers to the list of mandated reporters for minors only."],
    "academic": ["The statute should require annual public reporting of cases and outcomes."],
    "other": ["Make recruitment fees charged to workers illegal, with penalties."],
}

STATUTE_REVISIONS_ES = [
    "Que la amenaza de denunciar a alguien a migración cuente como coacción.",
    "Una ley para borrar los antecedentes de las víctimas.",
]

COLLABORATION = {
    "law_enforcement": [
        "Having one point of contact at the coalition who answers the phone at night made all the "
        "difference.",
        "Worked well with the DA. Less well with some NGOs that would not share information.",
    ],
    "state_agency": [
        "Monthly case reviews with police, the prosecutor and the shelter. Slow to set up, worth it.",
        "We signed an agreement with the labor department but nobody used it.",
    ],
    "ngo": [
        "When the detective came to the shelter instead of asking the survivor to come to the "
        "station, she felt safe enough to talk.",
        "Collaboration is good with health and legal aid, difficult with police who see our clients "
        "as witnesses first.",
        "Trust takes time. The joint training in March helped.",
    ],
    "legal_aid": ["Co-locating an attorney at the coalition office two days a week."],
    "health": ["A direct referral line to the coalition's case managers."],
    "academic": ["Shared definitions agreed at the start."],
    "other": ["A meeting with the labor department about contractors."],
}

COLLABORATION_ES = [
    "Con la clínica y la iglesia funciona bien. Con la policía, depende del agente.",
]

PROGRESS_COMMENTS = {
    "law_enforcement": [
        "Prosecutions are up; we had three convictions this year against none in 2025.",
        "More arrests, but the cases take too long.",
    ],
    "ngo": [
        "More arrests do not mean more protection. Survivors we work with are no safer than last "
        "year.",
        "Some progress on awareness, almost none on housing.",
    ],
    "state_agency": ["Hard to rate without data."],
    "legal_aid": ["Protection has gone backwards since the hotline contract changed."],
    "health": ["better awareness among our staff"],
    "academic": ["Ratings are impressions; measured outcomes are not available."],
    "other": [""],
}

AWARENESS_OTHER = [
    "Radio spots in Mixteco on the Sunday program",
    "Church bulletins",
    "Training for hotel staff",
    "Cards in the pay envelopes of farm workers",
]

PREVIOUS_GAPS = {
    "law_enforcement": ["No emergency housing.", "Too few investigators."],
    "state_agency": ["No shared data between agencies.", "Training is voluntary."],
    "ngo": [
        "Housing for men and families.",
        "Survivors arrested instead of helped.",
        "Language access.",
    ],
    "legal_aid": ["Immigration legal help."],
    "health": ["Screening in clinics."],
    "academic": ["Data."],
    "other": ["Information for employers."],
}
