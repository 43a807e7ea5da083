; Sense-VM image, format version 1: labels are code offsets
.format sensevm 1
.int 5                          ; #0
.int 41                         ; #1
.int 1                          ; #2
.metadata {"dataTypes":[{"name":"Maybe","params":["a"],"constructors":[{"name":"Nothing","tag":0,"fields":[]},{"name":"Just","tag":1,"fields":[{"kind":"var","name":"a"}]}]}],"source":"maybe.cam","mainType":{"kind":"int"}}

    LOADI #0                    ; @0  = 5  maybe.cam:8:14
    MOVE                        ; @3  maybe.cam:8:8
    COMB L42                    ; @4  maybe.cam:8:16
    CONS                        ; @7  maybe.cam:8:8
    MOVE                        ; @8
    LOADI #1                    ; @9  = 41  maybe.cam:8:36
    PACK 1                      ; @12  Just  maybe.cam:8:30
    CONS                        ; @15  maybe.cam:8:8
    CALL L20                    ; @16
    STOP                        ; @19
L20:
    PUSH                        ; @20  maybe.cam:6:1
    SND                         ; @21
    SWITCH [0: L32, 1: L36]     ; @22  0=Nothing 1=Just
L32:
    REST 2                      ; @32
    FST                         ; @34
    RETURN                      ; @35
L36:
    PUSH                        ; @36  maybe.cam:7:22
    SND                         ; @37
    SWAP                        ; @38
    ACC 2                       ; @39
    TAPP                        ; @41
L42:
    ADDIK #2                    ; @42  = 1  maybe.cam:8:23
    RETURN                      ; @45

.debug 0 3 "maybe.cam" 8 14
.debug 3 1 "maybe.cam" 8 8
.debug 4 3 "maybe.cam" 8 16
.debug 7 2 "maybe.cam" 8 8
.debug 9 3 "maybe.cam" 8 36
.debug 12 3 "maybe.cam" 8 30
.debug 15 4 "maybe.cam" 8 8
.debug 20 16 "maybe.cam" 6 1
.debug 36 6 "maybe.cam" 7 22
.debug 42 4 "maybe.cam" 8 23
