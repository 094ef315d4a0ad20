window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2032917367813304333"
          ],
          "editableUntil" : "2026-03-14T21:30:44.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "dry toast",
            "screen_name" : "dry_toast",
            "indices" : [
              "0",
              "10"
            ],
            "id_str" : "611029384",
            "id" : "611029384"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "11",
        "157"
      ],
      "favorite_count" : "2",
      "id_str" : "2032917367813304333",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2032917367813304333",
      "created_at" : "Sat Mar 14 20:30:44 +0000 2026",
      "favorited" : false,
      "full_text" : "@dry_toast Fair, and we hear you. The Nimbus outage credit is automatic and will show on your April bill. We know a credit doesn't give you the morning back.",
      "lang" : "en",
      "in_reply_to_status_id_str" : "2032909062670835725",
      "in_reply_to_user_id" : "611029384",
      "in_reply_to_status_id" : "2032909062670835725",
      "in_reply_to_screen_name" : "dry_toast",
      "in_reply_to_user_id_str" : "611029384"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2032367377655160837"
          ],
          "editableUntil" : "2026-03-13T09:05:17.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "Jo Alvarez",
            "screen_name" : "commuter_jo",
            "indices" : [
              "0",
              "12"
            ],
            "id_str" : "1587203948576019456",
            "id" : "1587203948576019456"
          },
          {
            "name" : "Nimbus Mobile",
            "screen_name" : "NimbusMobile",
            "indices" : [
              "13",
              "26"
            ],
            "id_str" : "1234567001",
            "id" : "1234567001"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "27",
        "207"
      ],
      "favorite_count" : "8",
      "id_str" : "2032367377655160837",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2032367377655160837",
      "created_at" : "Fri Mar 13 08:05:17 +0000 2026",
      "favorited" : false,
      "full_text" : "@commuter_jo @NimbusMobile Thanks for your patience, Jo. A new cell site on the Route 9 corridor went live last night, so calls between exits 14 and 17 should stay up now. Let us know how today's drive goes!",
      "lang" : "en",
      "in_reply_to_status_id_str" : "2032186186652098567",
      "in_reply_to_user_id" : "1587203948576019456",
      "in_reply_to_status_id" : "2032186186652098567",
      "in_reply_to_screen_name" : "commuter_jo",
      "in_reply_to_user_id_str" : "1587203948576019456"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2032081800965357580"
          ],
          "editableUntil" : "2026-03-12T14:10:30.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "NimbusIdeas",
            "indices" : [
              "113",
              "125"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "Jen (parent of 3)",
            "screen_name" : "parent_of_3",
            "indices" : [
              "0",
              "12"
            ],
            "id_str" : "3301928374",
            "id" : "3301928374"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "13",
        "125"
      ],
      "favorite_count" : "11",
      "id_str" : "2032081800965357580",
      "truncated" : false,
      "retweet_count" : "2",
      "id" : "2032081800965357580",
      "created_at" : "Thu Mar 12 13:10:30 +0000 2026",
      "favorited" : false,
      "full_text" : "@parent_of_3 Love this idea: a hard data cap you can set on kids' lines. We've passed it to the Nimbus app team. #NimbusIdeas",
      "lang" : "en",
      "in_reply_to_status_id_str" : "2031694246687387654",
      "in_reply_to_user_id" : "3301928374",
      "in_reply_to_status_id" : "2031694246687387654",
      "in_reply_to_screen_name" : "parent_of_3",
      "in_reply_to_user_id_str" : "3301928374"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2031411250682638342"
          ],
          "editableUntil" : "2026-03-10T17:45:58.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "pixel pilgrim",
            "screen_name" : "pixelpilgrim",
            "indices" : [
              "0",
              "13"
            ],
            "id_str" : "742019283",
            "id" : "742019283"
          }
        ],
        "urls" : [
          {
            "url" : "https://t.co/Vn2pLc8sKq",
            "expanded_url" : "https://nimbusmobile.example/esim?device=pixel",
            "display_url" : "nimbusmobile.example/esim?devic…",
            "indices" : [
              "90",
              "113"
            ]
          }
        ]
      },
      "display_text_range" : [
        "14",
        "151"
      ],
      "favorite_count" : "6",
      "id_str" : "2031411250682638342",
      "truncated" : false,
      "retweet_count" : "1",
      "id" : "2031411250682638342",
      "created_at" : "Tue Mar 10 16:45:58 +0000 2026",
      "favorited" : false,
      "full_text" : "@pixelpilgrim Yes! Nimbus supports eSIM on Pixel 8 and Pixel 9. Start in the app or here: https://t.co/Vn2pLc8sKq Pixel 7 support is planned for April.",
      "lang" : "en",
      "in_reply_to_status_id_str" : "2031387342908383241",
      "in_reply_to_user_id" : "742019283",
      "in_reply_to_status_id" : "2031387342908383241",
      "in_reply_to_screen_name" : "pixelpilgrim",
      "in_reply_to_user_id_str" : "742019283",
      "possibly_sensitive" : false
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2030725795831922699"
          ],
          "editableUntil" : "2026-03-08T20:22:13.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "Lucía M.",
            "screen_name" : "lucia_mx",
            "indices" : [
              "0",
              "9"
            ],
            "id_str" : "1120398456701882368",
            "id" : "1120398456701882368"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "10",
        "140"
      ],
      "favorite_count" : "4",
      "id_str" : "2030725795831922699",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2030725795831922699",
      "created_at" : "Sun Mar 08 19:22:13 +0000 2026",
      "favorited" : false,
      "full_text" : "@lucia_mx ¡Hola, Lucía! Las llamadas a México y Canadá están incluidas en Nimbus Flex Unlimited, sin costo extra. ¿Te ayudamos con algo más?",
      "lang" : "es",
      "in_reply_to_status_id_str" : "2030684774944079885",
      "in_reply_to_user_id" : "1120398456701882368",
      "in_reply_to_status_id" : "2030684774944079885",
      "in_reply_to_screen_name" : "lucia_mx",
      "in_reply_to_user_id_str" : "1120398456701882368"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2030644709048803339"
          ],
          "editableUntil" : "2026-03-08T15:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "InternationalWomensDay",
            "indices" : [
              "6",
              "29"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "122"
      ],
      "favorite_count" : "97",
      "id_str" : "2030644709048803339",
      "truncated" : false,
      "retweet_count" : "12",
      "id" : "2030644709048803339",
      "created_at" : "Sun Mar 08 14:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "Happy #InternationalWomensDay to the engineers, techs and support agents who keep everyone connected, today and every day.",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2030432978105090052"
          ],
          "editableUntil" : "2026-03-08T00:58:40.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "David Lee",
            "screen_name" : "dvdlee",
            "indices" : [
              "0",
              "7"
            ],
            "id_str" : "15503388",
            "id" : "15503388"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "8",
        "212"
      ],
      "favorite_count" : "5",
      "id_str" : "2030432978105090052",
      "truncated" : false,
      "retweet_count" : "1",
      "id" : "2030432978105090052",
      "created_at" : "Sat Mar 07 23:58:40 +0000 2026",
      "favorited" : false,
      "full_text" : "@dvdlee We've suspended the SIM on your Nimbus line, so it can't make calls or receive codes anymore. Please DM us so we can verify it's you, then we'll set up a new eSIM tonight. Also change your email password.",
      "lang" : "en",
      "in_reply_to_status_id_str" : "2030419892243722248",
      "in_reply_to_user_id" : "15503388",
      "in_reply_to_status_id" : "2030419892243722248",
      "in_reply_to_screen_name" : "dvdlee",
      "in_reply_to_user_id_str" : "15503388"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029839691403587596"
          ],
          "editableUntil" : "2026-03-06T09:41:09.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "Emma Lund",
            "screen_name" : "globetrot_em",
            "indices" : [
              "0",
              "13"
            ],
            "id_str" : "2874401925",
            "id" : "2874401925"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "14",
        "212"
      ],
      "favorite_count" : "3",
      "id_str" : "2029839691403587596",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2029839691403587596",
      "created_at" : "Fri Mar 06 08:41:09 +0000 2026",
      "favorited" : false,
      "full_text" : "@globetrot_em Olá from Nimbus! Flex Unlimited includes EU roaming, but it has to be switched on per line: Nimbus app &gt; Lines &gt; Roaming. Can you check that &amp; restart? If it still says \"roaming not allowed\", DM us.",
      "lang" : "en",
      "in_reply_to_status_id_str" : "2029835414128332802",
      "in_reply_to_user_id" : "2874401925",
      "in_reply_to_status_id" : "2029835414128332802",
      "in_reply_to_screen_name" : "globetrot_em",
      "in_reply_to_user_id_str" : "2874401925"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029573491640152072"
          ],
          "editableUntil" : "2026-03-05T16:03:22.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "Penny · budgets things",
            "screen_name" : "penny_wise88",
            "indices" : [
              "0",
              "13"
            ],
            "id_str" : "1402938475610293248",
            "id" : "1402938475610293248"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "14",
        "190"
      ],
      "favorite_count" : "1",
      "id_str" : "2029573491640152072",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2029573491640152072",
      "created_at" : "Thu Mar 05 15:03:22 +0000 2026",
      "favorited" : false,
      "full_text" : "@penny_wise88 That second $65 is a pending authorization from a payment retry in the Nimbus app. It should drop off within 3-5 business days. If it posts, DM us &amp; we'll refund it right away.",
      "lang" : "en",
      "in_reply_to_status_id_str" : "2029268985124110341",
      "in_reply_to_user_id" : "1402938475610293248",
      "in_reply_to_status_id" : "2029268985124110341",
      "in_reply_to_screen_name" : "penny_wise88",
      "in_reply_to_user_id_str" : "1402938475610293248"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029260610178400269"
          ],
          "editableUntil" : "2026-03-04T19:20:05.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "NimbusStatus",
            "indices" : [
              "197",
              "210"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "210"
      ],
      "favorite_count" : "356",
      "id_str" : "2029260610178400269",
      "truncated" : false,
      "retweet_count" : "128",
      "id" : "2029260610178400269",
      "created_at" : "Wed Mar 04 18:20:05 +0000 2026",
      "favorited" : false,
      "full_text" : "Update: mobile data is restored across the Northeast. If you still can't connect, restart your phone. We're sorry. Every affected Nimbus account gets a $10 credit on the next bill, no need to ask. #NimbusStatus",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029172955578941446"
          ],
          "editableUntil" : "2026-03-04T13:31:47.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "Maria K.",
            "screen_name" : "maria_k",
            "indices" : [
              "0",
              "8"
            ],
            "id_str" : "98761234",
            "id" : "98761234"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "9",
        "208"
      ],
      "favorite_count" : "2",
      "id_str" : "2029172955578941446",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2029172955578941446",
      "created_at" : "Wed Mar 04 12:31:47 +0000 2026",
      "favorited" : false,
      "full_text" : "@maria_k Sorry about the dropped calls, Maria. That's not the Nimbus experience we want for you. DM us your account number and the cross streets where it happens and we'll have a network engineer take a look.",
      "lang" : "en",
      "in_reply_to_status_id_str" : "2029162635813433352",
      "in_reply_to_user_id" : "98761234",
      "in_reply_to_status_id" : "2029162635813433352",
      "in_reply_to_screen_name" : "maria_k",
      "in_reply_to_user_id_str" : "98761234"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029162987134255111"
          ],
          "editableUntil" : "2026-03-04T12:52:10.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "NimbusStatus",
            "indices" : [
              "183",
              "196"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : [
          {
            "url" : "https://t.co/Qm3Zr7TbWn",
            "expanded_url" : "https://status.nimbusmobile.example/incidents/2026-03-04",
            "display_url" : "status.nimbusmobile.example/incid…",
            "indices" : [
              "159",
              "182"
            ]
          }
        ]
      },
      "display_text_range" : [
        "0",
        "196"
      ],
      "favorite_count" : "88",
      "id_str" : "2029162987134255111",
      "truncated" : false,
      "retweet_count" : "241",
      "id" : "2029162987134255111",
      "created_at" : "Wed Mar 04 11:52:10 +0000 2026",
      "favorited" : false,
      "full_text" : "We're aware some customers in the Northeast can't use mobile data right now. Calls and texts are working. Our engineers are on it and we'll post updates here: https://t.co/Qm3Zr7TbWn #NimbusStatus",
      "lang" : "en",
      "possibly_sensitive" : false
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2028396017927811073"
          ],
          "editableUntil" : "2026-03-02T10:04:31.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "Nimbus Mobile",
            "screen_name" : "NimbusMobile",
            "indices" : [
              "3",
              "16"
            ],
            "id_str" : "1234567001",
            "id" : "1234567001"
          }
        ],
        "urls" : [
          {
            "url" : "https://t.co/Fx8kQ2LmZa",
            "expanded_url" : "https://nimbusmobile.example/flex",
            "display_url" : "nimbusmobile.example/flex",
            "indices" : [
              "100",
              "123"
            ]
          }
        ]
      },
      "display_text_range" : [
        "0",
        "123"
      ],
      "favorite_count" : "0",
      "id_str" : "2028396017927811073",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2028396017927811073",
      "created_at" : "Mon Mar 02 09:04:31 +0000 2026",
      "favorited" : false,
      "full_text" : "RT @NimbusMobile: Flex Unlimited is live. EU roaming included, no day passes, no contract. Details: https://t.co/Fx8kQ2LmZa",
      "lang" : "en",
      "possibly_sensitive" : false
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2028394882302767114"
          ],
          "editableUntil" : "2026-03-02T10:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.x.example\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "NimbusFlex",
            "indices" : [
              "123",
              "134"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : [
          {
            "url" : "https://t.co/Fx8kQ2LmZa",
            "expanded_url" : "https://nimbusmobile.example/flex",
            "display_url" : "nimbusmobile.example/flex",
            "indices" : [
              "135",
              "158"
            ]
          }
        ]
      },
      "display_text_range" : [
        "0",
        "158"
      ],
      "favorite_count" : "412",
      "id_str" : "2028394882302767114",
      "truncated" : false,
      "retweet_count" : "96",
      "id" : "2028394882302767114",
      "created_at" : "Mon Mar 02 09:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "Meet Flex Unlimited: unlimited talk, text and data with EU and UK roaming built in. Switch to Nimbus in minutes with eSIM. #NimbusFlex https://t.co/Fx8kQ2LmZa",
      "lang" : "en",
      "possibly_sensitive" : false
    }
  }
]
